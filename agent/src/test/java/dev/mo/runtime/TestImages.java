package dev.mo.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.RemoteApiVersion;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Test images built FROM scratch with the host's static busybox (no registry is reachable), and a
 * plain docker-java client to check and clean up behind the agent's back.
 */
public final class TestImages {
    /** busybox httpd serving /www on 8080; index.html says "hello from mo". */
    public static final String HTTPD = "mo-test/busybox:1";

    private TestImages() {}

    public static DockerClient client() {
        DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(DockerRuntime.DEFAULT_HOST).withApiVersion(RemoteApiVersion.VERSION_1_41).build();
        return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).build());
    }

    /** Builds {@link #HTTPD} unless present. */
    public static synchronized void buildHttpd(DockerClient docker) throws IOException {
        try {
            docker.inspectImageCmd(HTTPD).exec();
            return;
        } catch (NotFoundException absent) {
            // build it
        }
        Path dir = Files.createTempDirectory("mo-test-image");
        try {
            Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(dir.resolve("Dockerfile"), """
                    FROM scratch
                    COPY busybox /bin/busybox
                    RUN ["/bin/busybox","--install","-s","/bin"]
                    RUN mkdir -p /www && echo "hello from mo" > /www/index.html
                    CMD ["httpd","-f","-p","8080","-h","/www"]
                    """);
            docker.buildImageCmd(dir.toFile()).withTags(Set.of(HTTPD)).withPull(false)
                    .exec(new BuildImageResultCallback()).awaitImageId();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Force-removes every container carrying the label. */
    public static void removeAll(DockerClient docker, String label, String value) {
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(label, value)).exec()) {
            try {
                docker.removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (NotFoundException gone) {
                // already removed
            }
        }
    }
}
