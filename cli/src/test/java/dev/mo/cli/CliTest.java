package dev.mo.cli;

import dev.mo.cli.LocalControlPlane.Run;
import dev.mo.controlplane.ControlPlane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import dev.mo.model.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The CLI against a real control plane (HTTP, store on disk) without an agent: what the
 * user sees for apply, get, delete and errors, with exit codes. No Docker needed.
 */
class CliTest {
    @TempDir
    Path dir;
    LocalControlPlane local;
    ControlPlane cp;
    String server;

    @BeforeEach
    void start() {
        local = LocalControlPlane.start(dir);
        cp = local.cp;
        server = local.server;
    }

    @AfterEach
    void stop() { local.close(); }


    Run mo(String... args) { return local.mo(args); }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    static final String APP = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: shop
              labels: {tier: config}
            data:
              LOG_LEVEL: info
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              labels: {tier: web}
            spec:
              replicas: 2
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: mo-example/hello:v1
            """;

    @Test
    void applyReportsCreatedThenUnchangedThenConfigured() throws Exception {
        Path file = write("app/all.yaml", APP);
        Run first = mo("apply", "-f", file.toString());
        assertEquals(0, first.exit(), first.err());
        assertEquals("namespace/shop created\nconfigmap/settings created\ndeployment.apps/web created\n", first.out());

        Run again = mo("apply", "-f", dir.resolve("app").toString());
        assertEquals("namespace/shop unchanged\nconfigmap/settings unchanged\ndeployment.apps/web unchanged\n", again.out());

        write("app/all.yaml", APP.replace("replicas: 2", "replicas: 3"));
        Run changed = mo("apply", "-f", file.toString());
        assertEquals("namespace/shop unchanged\nconfigmap/settings unchanged\ndeployment.apps/web configured\n", changed.out());
    }

    @Test
    void everyCommandAnswersHelp() {
        for (String[] command : new String[][] {{"apply", "--help"}, {"server", "-h"}, {"rollout", "status", "--help"}}) {
            Run r = mo(command);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("Usage: mo " + String.join(" ", command).replaceAll(" -.*", "")), r.out());
        }
    }

    @Test
    void applyReadsStdin() {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(APP.getBytes(StandardCharsets.UTF_8)));
            Run r = mo("apply", "-f", "-");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("deployment.apps/web created"), r.out());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aNewClusterShowsTheSystemNamespacesAndTheKubernetesService() {
        Run ns = mo("get", "namespaces", "-o", "name");
        assertEquals(0, ns.exit(), ns.err());
        assertEquals("namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n",
                ns.out());
        Run all = mo("get", "all", "-A");
        assertEquals(0, all.exit(), all.err());
        assertTrue(all.out().lines().anyMatch(l -> l.matches("default\\s+service/kubernetes\\s+ClusterIP\\s+10\\.96\\.0\\.1\\s.*443/TCP.*")),
                all.out());
        Run delete = mo("delete", "namespace", "kube-system");
        assertEquals(1, delete.exit());
        assertTrue(delete.err().contains("namespaces \"kube-system\" is forbidden: this namespace may not be deleted"),
                delete.err());
    }

    @Test
    void oneBrokenDocumentAppliesNothingAndNamesFileLineAndField() throws Exception {
        write("bad/a.yaml", APP);
        write("bad/b.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: Bad_Name
                  namespace: shop
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: y}}
                    spec:
                      containers: [{name: c, image: i}]
                """);
        Run r = mo("apply", "-f", dir.resolve("bad").toString());
        assertEquals(1, r.exit());
        String b = dir.resolve("bad/b.yaml").toString();
        assertTrue(r.err().contains("error: " + b + ":4: metadata.name: "), r.err());
        assertTrue(r.err().contains(b + ":8: spec.selector: "), r.err());
        assertTrue(r.err().contains("nothing was applied"), r.err());
        assertEquals("", r.out());
        Run ns = mo("get", "namespace", "shop");
        assertEquals(1, ns.exit());
        assertEquals("Error from server (NotFound): namespaces \"shop\" not found\n", ns.err());
    }

    @Test
    void getPrintsKubectlShapes() throws Exception {
        mo("apply", "-f", write("app.yaml", APP).toString());
        Run names = mo("get", "configmaps,deployments", "-n", "shop", "-o", "name");
        assertEquals("configmap/settings\ndeployment.apps/web\n", names.out());

        Run json = mo("get", "deployment", "web", "-n", "shop", "-o", "json");
        assertTrue(json.out().contains("\"kind\": \"Deployment\""), json.out());
        assertTrue(json.out().contains("\"uid\": "), json.out());
        Run list = mo("get", "deployments", "-n", "shop", "-o", "yaml");
        assertTrue(list.out().startsWith("apiVersion: v1\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n"), list.out());

        Run selected = mo("get", "configmaps", "-A", "-l", "tier=config");
        assertTrue(selected.out().matches("(?s)NAMESPACE\\s+NAME\\s+DATA\\s+AGE\nshop\\s+settings\\s+1\\s+\\d+s\n"), selected.out());

        Run none = mo("get", "pods", "-n", "nowhere");
        assertEquals(0, none.exit());
        assertEquals("No resources found in nowhere namespace.\n", none.err());
    }

    @Test
    void deleteByKindSlashName() throws Exception {
        mo("apply", "-f", write("app.yaml", APP).toString());
        Run r = mo("delete", "deploy/web", "-n", "shop");
        assertEquals(0, r.exit(), r.err());
        assertEquals("deployment.apps \"web\" deleted\n", r.out());
        Run missing = mo("delete", "deployment", "web", "-n", "shop");
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("deployments.apps \"web\" not found"), missing.err());
    }

    @Test
    void namespaceFlagMustAgreeWithTheManifest() throws Exception {
        Run r = mo("apply", "-f", write("app.yaml", APP).toString(), "-n", "other");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("the namespace from the provided object \"shop\" does not match the namespace \"other\""),
                r.err());
    }

    @Test
    void errorsAreOneLineWithANonZeroExit() {
        Run r = local.moAt("https://127.0.0.1:1", "get", "pods");
        assertEquals(1, r.exit());
        assertEquals("error: no mo server answers at https://127.0.0.1:1 (connection refused); start one with `mo server`,"
                + " or point --server/MO_SERVER at it\n", r.err());

        Run unknown = mo("get", "widgets");
        assertEquals(1, unknown.exit());
        assertEquals(1, unknown.err().lines().count(), unknown.err());
    }

    @Test
    void usageErrorsNameTheCommandToAskForHelp() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(1, Main.run(new PrintWriter(out), new PrintWriter(err), "nope"));
        assertEquals("Error: unknown command \"nope\" for \"mo\"\n\nDid you mean this?\n\ttop\n\n", err.toString(),
                "kubectl's words (kubectl nope suggests top too)");
        err.getBuffer().setLength(0);
        assertEquals(1, Main.run(new PrintWriter(out), new PrintWriter(err), "xyzzy"));
        assertEquals("Error: unknown command \"xyzzy\" for \"mo\"\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, Main.run(new PrintWriter(out), new PrintWriter(err), "gett", "pods"));
        assertEquals("Error: unknown command \"gett\" for \"mo\"\n\nDid you mean this?\n\tagent\n\tget\n\tset\n\n",
                err.toString(), "kubectl's words (two edits away: agent, get, set)");
        err.getBuffer().setLength(0);
        assertEquals(1, Main.run(new PrintWriter(out), new PrintWriter(err), "rollout", "status", "--bogus=1"));
        assertEquals("Error: unknown flag: --bogus\nSee 'mo rollout status --help' for usage.\n", err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, Main.run(new PrintWriter(out), new PrintWriter(err), "get", "pods", "-z"));
        assertEquals("Error: unknown shorthand flag: 'z' in -z\nSee 'mo get --help' for usage.\n", err.toString());
        assertEquals(List.of("rollout"), Main.suggestions("roll", List.of("rollout", "get", "help")));
        assertEquals(3, Main.editDistance("kitten", "sitting"));
        assertEquals(0, Main.run(new PrintWriter(out), new PrintWriter(err), "--help"));
        assertTrue(out.toString().contains("rollout") && out.toString().contains("apply"), "the root's help lists every verb");
    }

    @Test
    void onlyTheVerbOnTheCommandLineIsBuilt() {
        assertEquals(List.of(ApplyCommand.class), Main.subcommandsFor("apply", "-f", "x.yaml"));
        assertEquals(Main.SUBCOMMANDS, Main.subcommandsFor("help", "apply"));
        assertEquals(Main.SUBCOMMANDS, Main.subcommandsFor("--help"));
        assertEquals(Main.SUBCOMMANDS, Main.subcommandsFor());
    }

    @Test
    void aWrongTokenIsRefused() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "get", "pods", "--server", server, "--token", "nope",
                "--state-dir", local.stateDir.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("Error from server (Unauthorized): "), err.toString());
    }

    @Test
    void aServerWhoseCaTheClientDoesNotHoldIsNotTrusted(@TempDir Path elsewhere) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "get", "pods", "--server", server, "--token", "t",
                "--state-dir", elsewhere.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("error: TLS with the mo server at " + server + " failed: "), err.toString());
        assertTrue(err.toString().contains("copy it from the server's host"), err.toString());
    }

    @Test
    void plainHttpIsRefusedBeforeAnythingIsSent() {
        Run r = local.moAt(server.replace("https://", "http://"), "get", "pods");
        assertEquals(1, r.exit());
        assertEquals("error: the mo API speaks TLS only: use " + server + "\n", r.err());
    }

    @Test
    void cordonUncordonAndARefusedDrainAsKubectlPrintsThem() {
        local.cp.nodes().heartbeat(Json.parse("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"n1"},
                 "status":{"conditions":[{"type":"Ready","status":"True"}]}}"""));
        Run cordon = local.mo("cordon", "n1");
        assertEquals("node/n1 cordoned\n", cordon.out(), cordon.err());
        assertEquals("node/n1 already cordoned\n", local.mo("cordon", "n1").out());
        assertTrue(local.mo("get", "nodes").out().contains("Ready,SchedulingDisabled"));
        assertEquals("node/n1 uncordoned\n", local.mo("uncordon", "n1").out());
        assertEquals("node/n1 already uncordoned\n", local.mo("uncordon", "n1").out());

        local.cp.objects().create(Json.parse("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"bare","namespace":"default"},
                 "spec":{"nodeName":"n1","containers":[{"name":"c","image":"x"}]}}"""), true);
        Run drain = local.mo("drain", "n1");
        assertEquals(1, drain.exit());
        assertEquals("node/n1 cordoned\n", drain.out());
        assertEquals("error: unable to drain node \"n1\" due to error: cannot delete Pods that declare no controller"
                + " (use --force to override): default/bare; the node stays cordoned\n", drain.err());
        assertTrue(local.cp.objects().get(dev.mo.model.Kind.POD, "default", "bare").isPresent(), "nothing was evicted");
        // A drain that evicts (with a real agent, under load) is in MultiHostIT.
    }
}
