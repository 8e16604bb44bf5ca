package io.vkv.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws latency-by-percentile lines as a PNG, the way HdrHistogram's plots do: the x axis is 1/(1 - percentile) on
 * a log scale, so 90 %, 99 %, 99.9 % ... are evenly spaced ("nines"); the y axis is latency in ms, also log, since
 * tails are often orders of magnitude above the median. Runs headless.
 */
final class PercentileChart {
  static final int WIDTH = 960;
  static final int HEIGHT = 600;
  private static final Color[] COLORS = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
      new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  private PercentileChart() {
  }

  static void write(List<LatencyCurve> curves, String title, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true"); // before any AWT class loads: no display needed
    XYSeriesCollection data = new XYSeriesCollection();
    double minMs = Double.MAX_VALUE;
    double maxMs = 0;
    double maxNines = 10;
    for (LatencyCurve c : curves) {
      XYSeries series = new XYSeries(String.format(Locale.ROOT, "%s (max %s ms)", c.label(), ms(c.maxMs())), false);
      for (int i = 0; i < c.size(); i++) {
        double x = 1 / (1 - c.percentiles()[i] / 100);
        double y = Math.max(c.millis()[i], 0.001);
        series.add(x, y);
        minMs = Math.min(minMs, y);
        maxMs = Math.max(maxMs, y);
        maxNines = Math.max(maxNines, x);
      }
      data.addSeries(series);
    }
    if (maxMs == 0) { // no points: an empty chart still gets sane axes
      minMs = 0.1;
      maxMs = 1;
    }
    // both axes: one labelled tick per power of ten, the range widened to whole decades so there are always two
    LogAxis x = new LogAxis("percentile");
    x.setSmallestValue(1);
    x.setTickUnit(new NumberTickUnit(1, new NinesFormat()), false, true);
    x.setNumberFormatOverride(new NinesFormat());
    x.setRange(1, Math.pow(10, Math.ceil(Math.log10(maxNines))));
    LogAxis y = new LogAxis("latency (ms, log scale)");
    y.setSmallestValue(0.001);
    y.setTickUnit(new NumberTickUnit(1, new DecimalFormat("#,##0.###")), false, true);
    y.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
    // a hair beyond the decades, so that rounding cannot push the end ticks (and their labels) off the axis
    y.setRange(Math.pow(10, Math.floor(Math.log10(minMs))) / 1.001,
        Math.pow(10, Math.ceil(Math.log10(maxMs * 1.0001))) * 1.001);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < curves.size(); i++) {
      lines.setSeriesPaint(i, COLORS[i % COLORS.length]);
      lines.setSeriesStroke(i, new BasicStroke(2f));
    }
    XYPlot plot = new XYPlot(data, x, y, lines);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(8, 8, 8, 28)); // room for the last x label, centred on the right edge
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
  }

  private static String ms(double v) {
    return new DecimalFormat("#,##0.###").format(v);
  }

  /** Labels an x value 1/(1 - p) with its percentile p: 1 is 0 %, 10 is 90 %, 1000 is 99.9 %. */
  static final class NinesFormat extends NumberFormat {
    @Override
    public StringBuffer format(double x, StringBuffer to, FieldPosition pos) {
      double pct = 100 * (1 - 1 / x);
      String s = new DecimalFormat("0.#########", new java.text.DecimalFormatSymbols(Locale.ROOT))
          .format(Math.round(pct * 1e7) / 1e7);
      return to.append(s).append('%');
    }

    @Override
    public StringBuffer format(long x, StringBuffer to, FieldPosition pos) {
      return format((double) x, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      return null; // labels only
    }
  }
}
