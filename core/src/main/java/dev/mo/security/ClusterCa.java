package dev.mo.security;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.KeyPurposeId;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * The cluster's certificate authority, kept in one directory ({@code STATE_DIR/pki}, 0700):
 * {@code ca.crt} (0644) and {@code ca.key} (0600), made at the server's first start, and the
 * server's own {@code server.crt} and {@code server.key}. Every certificate in the cluster is
 * signed here, so trusting {@code ca.crt} is trusting the cluster, like k3s' server CA.
 */
public final class ClusterCa {
    static final String CA_NAME = "mo-ca";
    static final String SERVER_NAME = "mo-server";
    /** The common name of the server's client certificate, which agents' endpoints trust for logs. */
    public static final String SERVER_CLIENT_NAME = "system:mo-server";
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    static final Duration SERVER_VALIDITY = Duration.ofDays(365);
    /** A server certificate this close to its end is replaced at start, so that it never lapses between restarts. */
    static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Certificates start a little in the past: another host's clock may be a few minutes behind this one's. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final List<String> ALWAYS_SERVED = List.of("localhost", "127.0.0.1");

    private final Path dir;
    private final Clock clock;
    private final PrivateKey key;
    private final X509Certificate certificate;

    private ClusterCa(Path dir, Clock clock, PrivateKey key, X509Certificate certificate) {
        this.dir = dir;
        this.clock = clock;
        this.key = key;
        this.certificate = certificate;
    }

    /**
     * The CA in {@code pkiDir}, made there if there is none. The key is written before the
     * certificate, so a {@code ca.crt} means the CA is complete; a {@code ca.crt} without its
     * key is refused rather than replaced, since a new CA would cut off every joined node.
     */
    public static ClusterCa loadOrCreate(Path pkiDir, Clock clock) throws IOException {
        SecureFiles.createPrivateDirectory(pkiDir);
        Path crt = pkiDir.resolve("ca.crt");
        Path keyFile = pkiDir.resolve("ca.key");
        if (Files.exists(crt)) {
            if (!Files.exists(keyFile)) throw new IOException(crt + " is there but its key " + keyFile + " is missing");
            PrivateKey key = Pem.readPrivateKey(keyFile);
            X509Certificate certificate = Pem.readCertificate(crt);
            if (!Keys.matches(key, certificate.getPublicKey())) throw new IOException(keyFile + " is not the key of " + crt);
            return new ClusterCa(pkiDir, clock, key, certificate);
        }
        KeyPair keys = Keys.newKeyPair();
        Instant now = clock.instant();
        X509Certificate certificate = CertificateBuilder.ca(CertificateBuilder.commonName(CA_NAME), keys.getPublic(),
                now.minus(CLOCK_SKEW), now.plus(CA_VALIDITY)).selfSigned(keys.getPrivate());
        SecureFiles.writePrivate(keyFile, Pem.privateKey(keys.getPrivate()));
        SecureFiles.writePublic(crt, Pem.certificate(certificate));
        return new ClusterCa(pkiDir, clock, keys.getPrivate(), certificate);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** SHA-256 of the CA certificate, lowercase hex: the part of a join token that pins this CA. */
    public String fingerprint() {
        return Fingerprint.sha256(certificate);
    }

    /**
     * The server's serving credentials for {@code sans} (IP addresses or DNS names; {@code
     * localhost} and {@code 127.0.0.1} are always added): the stored ones, or new ones when
     * they are missing, lack a name asked for, are not from this CA, or end within 30 days.
     */
    public ServerCredentials serverCredentials(List<String> sans) throws IOException {
        List<String> names = new ArrayList<>(sans);
        for (String always : ALWAYS_SERVED) if (!names.contains(always)) names.add(always);
        return loadOrIssue("server", CertificateBuilder.commonName(SERVER_NAME), KeyPurposeId.id_kp_serverAuth, names);
    }

    /**
     * The client certificate the server shows when it calls an agent's endpoint (for a pod's
     * logs), as kube-apiserver has its kubelet client certificate: agents serve logs to this
     * name only ({@link #SERVER_CLIENT_NAME}). Kept and renewed as the serving one.
     */
    public ServerCredentials serverClientCredentials() throws IOException {
        return loadOrIssue("server-client", CertificateBuilder.commonName(SERVER_CLIENT_NAME),
                KeyPurposeId.id_kp_clientAuth, List.of());
    }

    private ServerCredentials loadOrIssue(String file, X500Name subject, KeyPurposeId purpose, List<String> names)
            throws IOException {
        Path crt = dir.resolve(file + ".crt");
        Path keyFile = dir.resolve(file + ".key");
        if (Files.exists(crt) && Files.exists(keyFile)) {
            ServerCredentials stored = new ServerCredentials(Pem.readPrivateKey(keyFile), Pem.readCertificate(crt));
            if (stillGood(stored, names)) return stored;
        }
        KeyPair keys = Keys.newKeyPair();
        X509Certificate issued = issue(leaf(subject, keys.getPublic(), SERVER_VALIDITY, purpose).sans(names));
        SecureFiles.writePrivate(keyFile, Pem.privateKey(keys.getPrivate()));
        SecureFiles.writePublic(crt, Pem.certificate(issued));
        return new ServerCredentials(keys.getPrivate(), issued);
    }

    /**
     * Certificates for node {@code nodeName} (a DNS-1123 subdomain), from the two PKCS#10
     * requests its agent sent (see {@link Csr#forNode}): a client certificate naming it
     * {@code O=system:nodes, CN=system:node:<nodeName>}, and a serving certificate for its
     * HTTPS endpoint at {@code servingSans} (IP addresses or DNS names, at least one). Throws
     * IllegalArgumentException for a bad name, SAN, or request (one that does not parse, or
     * whose signature is wrong).
     */
    public NodeCredentials signNode(String nodeName, String clientCsr, String servingCsr, List<String> servingSans,
                                    Duration validity) {
        if (validity.isNegative() || validity.isZero()) throw new IllegalArgumentException("validity must be positive");
        if (servingSans.isEmpty()) {
            throw new IllegalArgumentException("a serving certificate needs at least one IP address or DNS name");
        }
        X500Name subject = NodeIdentity.subject(nodeName);
        X509Certificate client = issue(leaf(subject, Csr.verifiedPublicKey(clientCsr), validity,
                KeyPurposeId.id_kp_clientAuth));
        X509Certificate serving = issue(leaf(subject, Csr.verifiedPublicKey(servingCsr), validity,
                KeyPurposeId.id_kp_serverAuth).sans(servingSans));
        return new NodeCredentials(client, serving, certificate);
    }

    /**
     * The TLS context the server listens with: it presents {@code server} followed by the CA
     * certificate, and accepts client certificates from this CA. See {@link TrustedCa#serverContext}.
     */
    public SSLContext serverContext(ServerCredentials server) {
        return TrustedCa.serverContext(certificate, server.key(), server.certificate());
    }

    /** Signs a certificate with the CA's key; for this package's tests as well. */
    X509Certificate issue(CertificateBuilder builder) {
        return builder.signedBy(certificate, key);
    }

    private CertificateBuilder leaf(X500Name subject, PublicKey publicKey,
                                    Duration validity, KeyPurposeId purpose) {
        Instant now = clock.instant();
        return CertificateBuilder.leaf(subject, publicKey, now.minus(CLOCK_SKEW), now.plus(validity), purpose);
    }

    private boolean stillGood(ServerCredentials stored, List<String> names) {
        X509Certificate c = stored.certificate();
        Instant now = clock.instant();
        try {
            c.verify(certificate.getPublicKey());
            c.checkValidity(Date.from(now.plus(RENEW_BEFORE)));
            c.checkValidity(Date.from(now));
        } catch (GeneralSecurityException e) {
            return false; // from another CA, expiring soon, or not yet valid
        }
        return names.stream().allMatch(n -> SubjectAltNames.covers(c, n)) && Keys.matches(stored.key(), c.getPublicKey());
    }
}
