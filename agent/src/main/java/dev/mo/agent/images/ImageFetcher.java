package dev.mo.agent.images;

import dev.mo.api.NodeApi;
import dev.mo.runtime.ContainerRuntime;
import dev.mo.runtime.ImageRef;
import dev.mo.runtime.RuntimeOperationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gets an image this node's engine lacks from another node's engine, so that an app built on
 * one host runs on every host with no registry. The steps, each visible in the log:
 * <ol>
 *   <li>find the Ready nodes that list the image ({@link ImageSources});</li>
 *   <li>stream it from one of them ({@code GET AGENT/images?name=}, a {@code docker save}
 *       archive) into a private file of this agent, no larger than the size it listed allows;</li>
 *   <li>check the archive ({@link ImageArchive}): one image, tagged as asked, whose ID is the
 *       one the source listed;</li>
 *   <li>load it into the engine ({@code docker load}) and check the engine now has that ID.</li>
 * </ol>
 * A source that fails any step is passed over for the next one.
 */
public final class ImageFetcher {
    private static final Logger log = LoggerFactory.getLogger(ImageFetcher.class);
    /** An archive is its layers unpacked plus tar headers: the listed size and a margin. */
    private static final long ARCHIVE_MARGIN_BYTES = 64L * 1024 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** No byte for this long and the source is given up. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final NodeApi api;
    private final ContainerRuntime runtime;
    private final String nodeName;
    private final String token;
    private final SSLSocketFactory tls;
    private final Path incoming;
    private final String agentUrlAnnotation;
    private final Clock clock;

    /**
     * @param token              what to show another agent over plain HTTP (in-memory tests)
     * @param tls                this node's client TLS (its certificate, the cluster CA); null: plain HTTP
     * @param incoming           a directory of this agent's where archives wait to be checked
     * @param agentUrlAnnotation the Node annotation that holds each agent's endpoint
     */
    public ImageFetcher(NodeApi api, ContainerRuntime runtime, String nodeName, String token, SSLContext tls, Path incoming,
                        String agentUrlAnnotation, Clock clock) {
        this.api = api;
        this.runtime = runtime;
        this.nodeName = nodeName;
        this.token = token;
        this.tls = tls == null ? null : tls.getSocketFactory();
        this.incoming = incoming;
        this.agentUrlAnnotation = agentUrlAnnotation;
        this.clock = clock;
    }

    /** What was fetched, from where. */
    public record Fetched(String node, long bytes, Duration took) {}

    /** Fetches {@code image} from another node; throws with every source's reason when none gave it. */
    public Fetched fetch(String image) {
        ImageRef ref = ImageRef.parse(image);
        if (ref.isDigest()) throw new RuntimeOperationException("images named by digest are not fetched from other nodes");
        String repoTag = ref.repoTag();
        List<ImageSources.Source> sources = ImageSources.find(api.nodes(), repoTag, nodeName, agentUrlAnnotation);
        if (sources.isEmpty()) throw new RuntimeOperationException("no other Ready node has image " + repoTag);
        List<String> reasons = new ArrayList<>();
        for (ImageSources.Source source : sources) {
            Instant start = clock.instant();
            try {
                long bytes = copyFrom(source, repoTag);
                Fetched fetched = new Fetched(source.node(), bytes, Duration.between(start, clock.instant()));
                log.info("image {} fetched from node {}: {} bytes in {} ms, image ID {} checked", repoTag, source.node(),
                        bytes, fetched.took().toMillis(), source.imageId());
                return fetched;
            } catch (IOException | ImageArchive.Rejected | RuntimeException e) {
                log.warn("image {} from node {} failed: {}", repoTag, source.node(), e.getMessage());
                reasons.add(source.node() + ": " + e.getMessage());
            }
        }
        throw new RuntimeOperationException("no node gave image " + repoTag + " (" + String.join("; ", reasons) + ")");
    }

    private long copyFrom(ImageSources.Source source, String repoTag) throws IOException, ImageArchive.Rejected {
        Files.createDirectories(incoming);
        Path archive = Files.createTempFile(incoming, "image-", ".tar",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            long bytes = download(source, repoTag, archive, source.sizeBytes() + ARCHIVE_MARGIN_BYTES);
            ImageArchive.check(archive, repoTag, source.imageId());
            runtime.loadImage(archive);
            Optional<String> loaded = runtime.imageId(repoTag);
            if (!loaded.equals(Optional.of(source.imageId()))) {
                throw new RuntimeOperationException("after the load the engine has " + loaded.orElse("no image")
                        + " as " + repoTag + ", not " + source.imageId());
            }
            return bytes;
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    private long download(ImageSources.Source source, String repoTag, Path to, long limit) throws IOException {
        URI uri = URI.create(source.agentUrl() + "/images?name=" + URLEncoder.encode(repoTag, StandardCharsets.UTF_8));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setReadTimeout((int) READ_TIMEOUT.toMillis());
        if (c instanceof HttpsURLConnection https && tls != null) https.setSSLSocketFactory(tls);
        else if (!token.isEmpty()) c.setRequestProperty("Authorization", "Bearer " + token);
        try {
            int code = c.getResponseCode();
            if (code != 200) {
                InputStream err = c.getErrorStream();
                String body = err == null ? "" : new String(err.readNBytes(300), StandardCharsets.UTF_8).strip();
                throw new IOException("HTTP " + code + (body.isEmpty() ? "" : ": " + body));
            }
            long total = 0;
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = c.getInputStream(); OutputStream out = Files.newOutputStream(to)) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    total += n;
                    if (total > limit) throw new IOException("the archive passes " + limit + " bytes, more than the image's listed size allows");
                    out.write(buf, 0, n);
                }
            }
            return total;
        } finally {
            c.disconnect();
        }
    }
}
