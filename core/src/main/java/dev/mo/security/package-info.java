/**
 * TLS for mo's API and a secure way for hosts to join, after k3s and the Kubernetes kubelet.
 *
 * <p>The picture:
 * <ul>
 *   <li><b>CA</b> ({@link dev.mo.security.ClusterCa}): the server's first start makes a certificate
 *       authority in {@code STATE_DIR/pki}. Everything in the cluster trusts it and nothing else;
 *       its key ({@code ca.key}, 0600) never leaves the server.</li>
 *   <li><b>Server certificate</b>: the API is served over TLS only, with a certificate from the CA
 *       for the server's addresses and names. The server sends the CA certificate after it in the
 *       chain, so a host that has never seen the CA can look at it.</li>
 *   <li><b>Join token</b> ({@link dev.mo.security.JoinToken}):
 *       {@code K10<sha256 of ca.crt>::<secret>}. The fingerprint lets a new host recognise the
 *       real server; the secret lets the server recognise a host it invited.</li>
 *   <li><b>Pinning</b> ({@link dev.mo.security.PinnedCaTrust}): a joining agent has no
 *       {@code ca.crt} yet, so it accepts the server only if the chain holds a CA with the token's
 *       fingerprint and the server's certificate is signed by it and names the host dialled.
 *       That is "trust on first use" made safe: the token says in advance what to expect.</li>
 *   <li><b>Node credentials</b> ({@link dev.mo.security.NodeCredentials}): over that connection
 *       the agent sends the secret and two certificate requests ({@link dev.mo.security.Csr});
 *       the CA signs a client certificate {@code O=system:nodes, CN=system:node:<name>} (the
 *       identity Kubernetes' Node authorizer reads, see {@link dev.mo.security.NodeIdentity}) and
 *       a serving certificate for the agent's own HTTPS endpoint. Private keys stay where they
 *       were made.</li>
 *   <li><b>Afterwards</b> ({@link dev.mo.security.TrustedCa}): every connection is mutual TLS
 *       with {@code ca.crt} as the one trusted CA; the token is not needed again.</li>
 * </ul>
 * {@link dev.mo.security.Pem} and {@link dev.mo.security.SecureFiles} read and write the files:
 * keys 0600, written whole through a temporary file made with that mode. Keys are EC P-256
 * ({@link dev.mo.security.Keys}); certificates are made with BouncyCastle, since the JDK can use
 * X.509 certificates but not build them.
 */
package dev.mo.security;
