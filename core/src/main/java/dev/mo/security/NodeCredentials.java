package dev.mo.security;

import java.security.cert.X509Certificate;

/**
 * What the CA gives a node that has joined: the certificate it proves itself with when it calls
 * the server ({@code O=system:nodes, CN=system:node:<name>}, clientAuth), the certificate of its
 * own HTTPS endpoint (serverAuth), and the CA certificate to trust from then on. The private keys
 * never leave the node.
 */
public record NodeCredentials(X509Certificate clientCertificate, X509Certificate servingCertificate,
                              X509Certificate caCertificate) {}
