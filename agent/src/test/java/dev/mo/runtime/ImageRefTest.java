package dev.mo.runtime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ImageRefTest {
    @Test
    void parsesImageReferences() {
        assertEquals(new ImageRef("busybox", "latest"), ImageRef.parse("busybox"));
        assertEquals(new ImageRef("localhost:5000/app", "1.2"), ImageRef.parse("localhost:5000/app:1.2"));
        assertEquals(new ImageRef("localhost:5000/app", "latest"), ImageRef.parse("localhost:5000/app"));
        assertEquals(new ImageRef("app", "sha256:ab"), ImageRef.parse("app@sha256:ab"));
    }

    @Test
    void repoTagIsTheNameAnEngineListsForTheImage() {
        assertEquals("nginx:latest", ImageRef.parse("nginx").repoTag());
        assertEquals("nginx:1.27", ImageRef.parse("docker.io/library/nginx:1.27").repoTag());
        assertEquals("mo-example/hello:v1", ImageRef.parse("docker.io/mo-example/hello:v1").repoTag());
        assertEquals("library/x/y:1", ImageRef.parse("library/x/y:1").repoTag());
        assertEquals("localhost:5000/app:latest", ImageRef.parse("localhost:5000/app").repoTag());
        assertEquals("app@sha256:ab", ImageRef.parse("app@sha256:ab").repoTag());
    }
}
