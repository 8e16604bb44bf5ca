package io.vkv.node.tls;

/** A TLS setting that cannot be used (missing or unreadable file, key not matching its certificate, unknown name). */
public final class TlsConfigException extends IllegalArgumentException {
  public TlsConfigException(String message) {
    super(message);
  }

  public TlsConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
