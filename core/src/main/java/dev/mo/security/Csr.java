package dev.mo.security;

import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.security.KeyPair;
import java.security.PublicKey;

/**
 * Certificate signing requests (PKCS#10), what a kubelet sends to get its certificates: a public
 * key and a name, signed with the matching private key. The signature proves the sender holds
 * that key, so the CA never sees a node's private key, and cannot be made to certify someone
 * else's public key.
 */
public final class Csr {
    private Csr() {}

    /** A PEM request from node {@code nodeName} for {@code keys}' public key (agent side). */
    public static String forNode(KeyPair keys, String nodeName) {
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(
                    NodeIdentity.subject(nodeName), keys.getPublic())
                    .build(new JcaContentSignerBuilder(Keys.SIGNATURE_ALGORITHM).build(keys.getPrivate()));
            return Pem.csr(request);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate request", e);
        }
    }

    /**
     * The public key of a PEM request whose signature checks out (CA side); throws
     * IllegalArgumentException when it is not a request or its signature is wrong. Only the key
     * is taken: the CA, not the request, decides the certificate's subject.
     */
    static PublicKey verifiedPublicKey(String pem) {
        PKCS10CertificationRequest request = Pem.parseCsr(pem);
        try {
            PublicKey key = new JcaPEMKeyConverter().getPublicKey(request.getSubjectPublicKeyInfo());
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(key);
            if (!request.isSignatureValid(verifier)) {
                throw new IllegalArgumentException("certificate request's signature does not match its public key");
            }
            return key;
        } catch (PEMException | OperatorCreationException | PKCSException e) {
            throw new IllegalArgumentException("unreadable certificate request: " + e.getMessage());
        }
    }
}
