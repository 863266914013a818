package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.cli.LocalControlPlane.Run;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** mo label, mo annotate and mo create namespace|configmap|secret generic against a control plane of the test's own. */
class LabelAnnotateCreateCliTest {
    @TempDir
    Path dir;
    LocalControlPlane local;
    ControlPlane cp;

    @BeforeEach
    void start() throws Exception {
        local = LocalControlPlane.start(dir);
        cp = local.cp;
        Run r = mo("apply", "-f", write("shop.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: shop, labels: {app: web}, annotations: {note: first}}
                spec: {containers: [{name: app, image: app:1}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: web-2, namespace: shop, labels: {app: web}}
                spec: {containers: [{name: app, image: app:1}]}
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: db, namespace: shop, labels: {app: db}}
                spec: {containers: [{name: app, image: app:1}]}
                """).toString());
        assertEquals(0, r.exit(), r.err());
    }

    @AfterEach
    void stop() { local.close(); }

    Run mo(String... args) { return local.mo(args); }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    Map<String, String> labels(String pod) { return Meta.labels(cp.objects().require(Kind.POD, "shop", pod)); }

    Map<String, String> annotations(String pod) {
        return Json.stringMap(cp.objects().require(Kind.POD, "shop", pod), "metadata.annotations");
    }

    void assertRun(Run r, int exit, String out, String err) {
        assertEquals(exit, r.exit(), r.err());
        assertEquals(out, r.out());
        assertEquals(err, r.err());
    }

    @Test
    void labelAddsRefusesToOverwriteOverwritesAndRemoves() {
        assertRun(mo("label", "pod", "web-1", "tier=frontend", "-n", "shop"), 0, "pod/web-1 labeled\n", "");
        assertEquals(Map.of("app", "web", "tier", "frontend"), labels("web-1"));

        assertRun(mo("label", "pod/web-1", "app=shop", "-n", "shop"), 1, "",
                "error: 'app' already has a value (web), and --overwrite is false\n");
        assertEquals("web", labels("web-1").get("app"), "a refused change writes nothing");

        assertRun(mo("label", "pod/web-1", "app=web", "-n", "shop"), 0, "pod/web-1 not labeled\n", "");
        assertRun(mo("label", "pod/web-1", "app=shop", "--overwrite", "-n", "shop"), 0, "pod/web-1 labeled\n", "");
        assertEquals("shop", labels("web-1").get("app"));

        assertRun(mo("label", "pod", "web-1", "tier-", "-n", "shop"), 0, "pod/web-1 unlabeled\n", "");
        assertEquals(Map.of("app", "shop"), labels("web-1"));
        assertRun(mo("label", "pod", "web-1", "tier-", "-n", "shop"), 0,
                "label \"tier\" not found.\npod/web-1 not labeled\n", "");
    }

    @Test
    void labelChecksWhatKubectlChecks() {
        Run badValue = mo("label", "pod", "web-1", "tier=-front", "-n", "shop");
        assertEquals(1, badValue.exit());
        assertTrue(badValue.err().startsWith("error: invalid label value: \"tier=-front\": a valid label must be an empty string"),
                badValue.err());
        String long64 = "a".repeat(64);
        assertRun(mo("label", "pod", "web-1", "tier=" + long64, "-n", "shop"), 1, "",
                "error: invalid label value: \"tier=" + long64 + "\": must be no more than 63 characters\n");
        Run tooLongAndBad = mo("label", "pod", "web-1", "tier=" + long64 + "-", "-n", "shop");
        assertTrue(tooLongAndBad.err().contains(": must be no more than 63 characters;a valid label"), tooLongAndBad.err());

        Run badKey = mo("label", "pod", "web-1", "bad key=x", "-n", "shop");
        assertEquals(1, badKey.exit());
        assertTrue(badKey.err().contains("\"bad key\" is not a valid key"), badKey.err());
        assertFalse(labels("web-1").containsKey("bad key"));

        assertRun(mo("label", "pod", "web-1", "a=b=c", "-n", "shop"), 1, "", "error: invalid label spec: a=b=c\n");
        assertRun(mo("label", "pod", "web-1", "x=1", "x-", "-n", "shop"), 1, "",
                "error: can not both modify and remove a label in the same command\n");
        assertRun(mo("label", "pod", "web-1", "-n", "shop"), 1, "", "error: at least one label update is required\n");
        assertRun(mo("label", "pod", "web-1", "x=1", "web-2", "-n", "shop"), 1, "",
                "error: all resources must be specified before label changes: web-2\n");
        assertRun(mo("label", "pod", "web-1", "x=1", "-l", "app=web", "-n", "shop"), 1, "",
                "error: name cannot be provided when a selector is specified\n");
        assertRun(mo("label", "pod", "x=1", "-l", "app=web", "--all", "-n", "shop"), 1, "",
                "error: cannot set --all and --selector at the same time\n");
        assertEquals(Map.of("app", "web"), labels("web-1"));
    }

    @Test
    void labelBySelectorAndAll() {
        assertRun(mo("label", "pods", "-l", "app=web", "tier=frontend", "-n", "shop"), 0,
                "pod/web-1 labeled\npod/web-2 labeled\n", "");
        assertEquals("frontend", labels("web-2").get("tier"));
        assertNull(labels("db").get("tier"));

        assertRun(mo("label", "pods", "--all", "zone=a", "-n", "shop"), 0,
                "pod/db labeled\npod/web-1 labeled\npod/web-2 labeled\n", "");
        assertEquals("a", labels("db").get("zone"));

        assertRun(mo("label", "namespace", "shop", "team=sales"), 0, "namespace/shop labeled\n", "");
        assertEquals("sales", Meta.labels(cp.objects().require(Kind.NAMESPACE, null, "shop")).get("team"));
    }

    @Test
    void annotateSetsRefusesRemoves() {
        assertRun(mo("annotate", "pod", "web-1", "owner=team-a", "url=http://x/?a=b", "-n", "shop"), 0,
                "pod/web-1 annotated\n", "");
        assertEquals("http://x/?a=b", annotations("web-1").get("url"), "a value may hold '='");

        assertRun(mo("annotate", "pod", "web-1", "note=second", "-n", "shop"), 1, "",
                "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (first)\n");
        assertRun(mo("annotate", "pod", "web-1", "note=second", "--overwrite", "-n", "shop"), 0, "pod/web-1 annotated\n", "");
        assertEquals("second", annotations("web-1").get("note"));

        assertRun(mo("annotate", "pod/web-1", "note-", "owner-", "url-", "-n", "shop"), 0, "pod/web-1 annotated\n", "");
        assertEquals(Map.of(), annotations("web-1"));

        assertRun(mo("annotate", "pods", "-l", "app=web", "reviewed=yes", "-n", "shop"), 0,
                "pod/web-1 annotated\npod/web-2 annotated\n", "");
        assertRun(mo("annotate", "pod", "web-1", "-n", "shop"), 1, "", "error: at least one annotation update is required\n");
    }

    @Test
    void createNamespace() {
        assertRun(mo("create", "namespace", "team-a"), 0, "namespace/team-a created\n", "");
        assertTrue(cp.objects().get(Kind.NAMESPACE, null, "team-a").isPresent());

        assertRun(mo("create", "ns", "team-a"), 1, "", "Error from server (AlreadyExists): namespaces \"team-a\" already exists\n");

        assertRun(mo("create", "namespace", "team-b", "--dry-run=client", "-o", "yaml"), 0, """
                apiVersion: v1
                kind: Namespace
                metadata:
                  creationTimestamp: null
                  name: team-b
                spec: {}
                status: {}
                """, "");
        assertRun(mo("create", "namespace", "team-b", "--dry-run=server"), 0, "namespace/team-b created (server dry run)\n", "");
        assertRun(mo("create", "namespace", "team-b", "--dry-run=client"), 0, "namespace/team-b created (dry run)\n", "");
        assertTrue(cp.objects().get(Kind.NAMESPACE, null, "team-b").isEmpty(), "a dry run creates nothing");

        assertRun(mo("create", "namespace", "team-c", "-o", "name"), 0, "namespace/team-c\n", "");
        assertRun(mo("create", "namespace", "a", "b"), 1, "",
                "error: exactly one NAME is required, got 2\nSee 'mo create namespace -h' for help and examples\n");
    }

    @Test
    void createConfigMapFromLiteralsFilesAndEnvFile() throws Exception {
        Path conf = write("app.conf", "port=80\n");
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Files.writeString(folder.resolve("one"), "1");
        Files.write(folder.resolve("two.bin"), new byte[] {0, (byte) 0xff});
        Run r = mo("create", "configmap", "web", "--from-literal=mode=fast", "--from-literal=greeting=a=b",
                "--from-file=" + conf, "--from-file=renamed=" + conf, "--from-file=" + folder, "-n", "shop");
        assertRun(r, 0, "configmap/web created\n", "");
        ObjectNode cm = cp.objects().require(Kind.CONFIG_MAP, "shop", "web");
        assertEquals(Map.of("mode", "fast", "greeting", "a=b", "app.conf", "port=80\n", "renamed", "port=80\n", "one", "1"),
                Json.stringMap(cm, "data"));
        assertEquals(Map.of("two.bin", "AP8="), Json.stringMap(cm, "binaryData"), "bytes that are not text go to binaryData");

        assertRun(mo("create", "configmap", "web", "--from-literal=a=1", "-n", "shop"), 1, "",
                "Error from server (AlreadyExists): configmaps \"web\" already exists\n");
        assertEquals("fast", Json.text(cp.objects().require(Kind.CONFIG_MAP, "shop", "web"), "data.mode"), "left as it was");

        Path env = write("app.env", "# settings\n\n  MODE=slow \nEMPTY=\nexport X=1\n");
        assertRun(mo("create", "cm", "env", "--from-env-file=" + env), 1, "",
                "error: \"export X\" is not a valid key name: a valid environment variable name must consist of alphabetic"
                        + " characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or"
                        + " 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')\n");
        Files.writeString(env, "# settings\n\n  MODE=slow \nEMPTY=\n");
        assertRun(mo("create", "cm", "env", "--from-env-file=" + env, "--dry-run=client", "-o", "json"), 0, """
                {
                    "kind": "ConfigMap",
                    "apiVersion": "v1",
                    "metadata": {
                        "name": "env",
                        "creationTimestamp": null
                    },
                    "data": {
                        "EMPTY": "",
                        "MODE": "slow "
                    }
                }
                """, "");
        assertTrue(cp.objects().get(Kind.CONFIG_MAP, "default", "env").isEmpty(), "a dry run creates nothing");

        assertRun(mo("create", "cm", "x", "--from-literal=a=1", "--from-literal=a=2"), 1, "",
                "error: cannot add key \"a\", another key by that name already exists in Data for ConfigMap \"x\"\n");
        assertRun(mo("create", "cm", "x", "--from-literal=b c=1"), 1, "",
                "error: \"b c\" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric"
                        + " characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for"
                        + " validation is '[-._a-zA-Z0-9]+')\n");
        assertRun(mo("create", "cm", "x", "--from-literal=a"), 1, "", "error: invalid literal source a, expected key=value\n");
        assertRun(mo("create", "cm", "x", "--from-env-file=" + env, "--from-literal=a=1"), 1, "",
                "error: from-env-file cannot be combined with from-file or from-literal\n");
        assertRun(mo("create", "cm", "x", "--dry-run=maybe"), 1, "",
                "error: Invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\".\n");
        assertTrue(cp.objects().get(Kind.CONFIG_MAP, "default", "x").isEmpty());
    }

    @Test
    void createSecretGenericEncodesValues() throws Exception {
        Path key = write("key.txt", "hunter2");
        assertRun(mo("create", "secret", "generic", "db", "--from-literal=user=admin", "--from-file=password=" + key,
                "-n", "shop"), 0, "secret/db created\n", "");
        ObjectNode secret = cp.objects().require(Kind.SECRET, "shop", "db");
        Map<String, String> data = Json.stringMap(secret, "data");
        assertEquals(Map.of("user", b64("admin"), "password", b64("hunter2")), data);

        assertRun(mo("create", "secret", "generic", "db", "-n", "shop"), 1, "",
                "Error from server (AlreadyExists): secrets \"db\" already exists\n");

        assertRun(mo("create", "secret", "generic", "tls", "--from-literal=a=1", "--type", "example.com/token",
                "--dry-run=client", "-o", "yaml", "-n", "shop"), 0, """
                apiVersion: v1
                data:
                  a: MQ==
                kind: Secret
                metadata:
                  creationTimestamp: null
                  name: tls
                  namespace: shop
                type: example.com/token
                """, "");
        assertRun(mo("create", "secret", "generic", "tls", "--from-literal=a=1", "--dry-run=server", "-n", "shop"), 0,
                "secret/tls created (server dry run)\n", "");
        assertTrue(cp.objects().get(Kind.SECRET, "shop", "tls").isEmpty(), "a dry run creates nothing");
        assertRun(mo("create", "secret", "generic", "x", "--from-literal=a=1", "--from-literal=a=2"), 1, "",
                "error: cannot add key a, another key by that name already exists\n");
    }

    @Test
    void createWithoutAKindSaysWhatItTakes() {
        java.io.StringWriter out = new java.io.StringWriter(), err = new java.io.StringWriter();
        int exit = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), "create");
        assertEquals(1, exit);
        assertTrue(err.toString().startsWith("error: must specify one of -f and -k"), err.toString());
        exit = Main.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true), "create", "secret");
        assertEquals(1, exit);
        assertTrue(err.toString().contains("generic"), err.toString());
    }

    static String b64(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
}
