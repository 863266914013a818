package dev.mo.security;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** The mo server's serving key and certificate ({@code server.key}, {@code server.crt}), signed by the cluster CA. */
public record ServerCredentials(PrivateKey key, X509Certificate certificate) {}
