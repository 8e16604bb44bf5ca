package io.vkv.bench;

/**
 * A failure as one line: the message, then the message of each cause that adds something. A TLS failure's own
 * message only says the connection failed; its cause says why (the certificate check, the server's alert).
 */
final class ErrorText {
  private static final int MAX_CAUSES = 4;

  private ErrorText() {
  }

  static String of(Throwable t) {
    StringBuilder text = new StringBuilder(String.valueOf(t.getMessage()));
    Throwable cause = t.getCause();
    for (int i = 0; i < MAX_CAUSES && cause != null; i++, cause = cause.getCause()) {
      String m = cause.getMessage();
      if (m != null && !m.isBlank() && text.indexOf(m) < 0) text.append(": ").append(m);
    }
    return text.toString();
  }
}
