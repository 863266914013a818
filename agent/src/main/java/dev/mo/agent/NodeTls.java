package dev.mo.agent;

import javax.net.ssl.SSLContext;

/**
 * A joined node's TLS: {@code client} trusts only the cluster CA and shows the node's client
 * certificate ({@code system:node:NAME}) to the API and to other nodes; {@code serving} is the
 * agent endpoint's certificate, and trusts the same CA for its callers' certificates.
 */
public record NodeTls(SSLContext client, SSLContext serving) {}
