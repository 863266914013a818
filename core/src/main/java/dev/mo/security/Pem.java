package dev.mo.security;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * PEM, the text form of keys and certificates ({@code -----BEGIN CERTIFICATE-----}) that
 * openssl, curl, kubectl and k3s read. Keys are written as PKCS#8 ({@code BEGIN PRIVATE KEY});
 * OpenSSL's older {@code BEGIN EC PRIVATE KEY} is read too.
 */
public final class Pem {
    private Pem() {}

    public static String certificate(X509Certificate certificate) {
        return write(certificate);
    }

    public static String privateKey(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a " + key.getAlgorithm() + " key", e);
        }
    }

    /** The certificates in {@code pem}, in order (a chain is leaf first). */
    public static List<X509Certificate> parseCertificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object o : objects(pem)) {
            if (o instanceof X509CertificateHolder holder) certificates.add(toX509(holder));
        }
        if (certificates.isEmpty()) throw new IllegalArgumentException("no PEM certificate found");
        return certificates;
    }

    /** The first certificate in {@code pem}. */
    public static X509Certificate parseCertificate(String pem) {
        return parseCertificates(pem).get(0);
    }

    public static PrivateKey parsePrivateKey(String pem) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            for (Object o : objects(pem)) {
                if (o instanceof PrivateKeyInfo info) return converter.getPrivateKey(info);
                if (o instanceof PEMKeyPair pair) return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
        } catch (PEMException e) {
            throw new IllegalArgumentException("unreadable private key: " + e.getMessage());
        }
        throw new IllegalArgumentException("no PEM private key found");
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        return read(file, Pem::parseCertificate);
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        return read(file, Pem::parsePrivateKey);
    }

    static String csr(PKCS10CertificationRequest request) {
        return write(request);
    }

    static PKCS10CertificationRequest parseCsr(String pem) {
        for (Object o : objects(pem)) {
            if (o instanceof PKCS10CertificationRequest request) return request;
        }
        throw new IllegalArgumentException("no PEM certificate request (BEGIN CERTIFICATE REQUEST) found");
    }

    private interface Parser<T> { T parse(String pem); }

    /** Reads and parses a file; a file that does not parse is an IOException that names it. */
    private static <T> T read(Path file, Parser<T> parser) throws IOException {
        String text = Files.readString(file);
        try {
            return parser.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static List<Object> objects(String pem) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) objects.add(o);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed PEM: " + e.getMessage());
        }
        return objects;
    }

    private static String write(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            if (object instanceof PemObjectGenerator generator) writer.writeObject(generator);
            else writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static X509Certificate toX509(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("unreadable certificate: " + e.getMessage());
        }
    }
}
