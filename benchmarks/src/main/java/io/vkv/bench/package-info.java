/** vkv-bench and the JMH micro-benchmarks. */
package io.vkv.bench;
