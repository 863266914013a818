package dev.mo.security;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who a client certificate says it is, in Kubernetes' words: a node is the user
 * {@code system:node:<name>} in the group {@code system:nodes}, so its certificate's subject is
 * {@code O=system:nodes, CN=system:node:<name>}. That is what the kube-apiserver's Node
 * authorizer reads to let a kubelet see and change its own node and pods only.
 */
public final class NodeIdentity {
    public static final String NODES_GROUP = "system:nodes";
    public static final String NODE_USER_PREFIX = "system:node:";
    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

    private NodeIdentity() {}

    /**
     * The node a client is, from the certificate chain a TLS context has already verified
     * against the cluster CA; empty when the leaf is not a node's certificate.
     */
    public static Optional<String> nodeName(Certificate[] verifiedChain) {
        if (verifiedChain == null || verifiedChain.length == 0 || !(verifiedChain[0] instanceof X509Certificate leaf)) {
            return Optional.empty();
        }
        X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
        List<String> groups = values(subject, BCStyle.O);
        List<String> users = values(subject, BCStyle.CN);
        if (!groups.contains(NODES_GROUP) || users.size() != 1 || !users.get(0).startsWith(NODE_USER_PREFIX)) {
            return Optional.empty();
        }
        String name = users.get(0).substring(NODE_USER_PREFIX.length());
        return problem(name) == null ? Optional.of(name) : Optional.empty();
    }

    /** Whether a verified chain's leaf is the server's client certificate ({@link ClusterCa#serverClientCredentials}). */
    public static boolean isServer(Certificate[] verifiedChain) {
        if (verifiedChain == null || verifiedChain.length == 0 || !(verifiedChain[0] instanceof X509Certificate leaf)) {
            return false;
        }
        List<String> users = values(X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded()), BCStyle.CN);
        return users.equals(List.of(ClusterCa.SERVER_CLIENT_NAME));
    }

    /** The node on the other end of a TLS session; empty when the client sent no certificate or not a node's. */
    public static Optional<String> nodeName(SSLSession session) {
        try {
            return nodeName(session.getPeerCertificates());
        } catch (SSLPeerUnverifiedException noCertificate) {
            return Optional.empty();
        }
    }

    /** The subject of node {@code name}'s certificates. */
    static X500Name subject(String name) {
        String problem = problem(name);
        if (problem != null) throw new IllegalArgumentException(problem);
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, NODES_GROUP)
                .addRDN(BCStyle.CN, NODE_USER_PREFIX + name)
                .build();
    }

    /** Null when {@code name} is a valid node name (a DNS-1123 subdomain, as Kubernetes requires), else why not. */
    private static String problem(String name) {
        if (name != null && name.length() <= 253 && DNS1123_SUBDOMAIN.matcher(name).matches()) return null;
        return "node name \"" + name + "\" is not a valid DNS-1123 subdomain: lowercase letters, digits, '-' and '.', "
                + "starting and ending with a letter or digit, at most 253 characters";
    }

    private static List<String> values(X500Name name, ASN1ObjectIdentifier attribute) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs(attribute)) values.add(IETFUtils.valueToString(rdn.getFirst().getValue()));
        return values;
    }
}
