package dev.mo.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.api.MoClient;
import dev.mo.cli.LocalControlPlane.Run;
import dev.mo.controlplane.ControlPlane;
import dev.mo.model.Json;
import dev.mo.model.Kind;
import dev.mo.model.Meta;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

/** mo wait, mo version and mo completion against a control plane of the test's own (no agent). */
class WaitVersionCliTest {
    @TempDir
    Path dir;
    LocalControlPlane local;
    ControlPlane cp;

    @BeforeEach
    void start() throws Exception {
        local = LocalControlPlane.start(dir);
        cp = local.cp;
        Path file = dir.resolve("objects.yaml");
        Files.writeString(file, OBJECTS);
        Run applied = mo("apply", "-f", file.toString());
        assertEquals(0, applied.exit(), applied.err());
    }

    @AfterEach
    void stop() { local.close(); }

    Run mo(String... args) { return local.mo(args); }

    static final String OBJECTS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: web-1, labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web-2, labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db-1, labels: {app: db}}
            spec:
              containers: [{name: db, image: postgres}]
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings}
            data: {state: starting}
            """;

    /** Reports a pod's status as its node's agent would. */
    void reportReady(String pod, boolean ready) {
        ObjectNode p = local.client().get(Kind.POD, "default", pod);
        cp.nodes().reportPodStatus("default", pod, Meta.uid(p), Json.parse("{\"phase\":\"Running\",\"conditions\":"
                + "[{\"type\":\"Ready\",\"status\":\"" + (ready ? "True" : "False") + "\"}]}"), Map.of());
    }

    /** Runs a change on another thread after a while, as another user or a controller would make it. */
    static CompletableFuture<Void> later(Runnable change) {
        return CompletableFuture.runAsync(change, CompletableFuture.delayedExecutor(600, TimeUnit.MILLISECONDS));
    }

    @Test
    void waitsForAConditionAlreadyMetComparingTypeAndValueIgnoringCase() {
        reportReady("web-1", true);
        Run r = mo("wait", "--for=condition=ready=TRUE", "pod/web-1");
        assertEquals(0, r.exit(), r.err());
        assertEquals("pod/web-1 condition met\n", r.out());

        Run notFalse = mo("wait", "--for=condition=Ready=false", "pod", "web-1", "--timeout=0");
        assertEquals(1, notFalse.exit());
        assertEquals("error: timed out waiting for the condition on pods/web-1\n", notFalse.err());
    }

    @Test
    void waitsUntilAnotherThreadMakesTheConditionTrue() throws Exception {
        reportReady("web-1", false);
        CompletableFuture<Void> change = later(() -> reportReady("web-1", true));
        long started = System.nanoTime();
        Run r = mo("wait", "pod", "web-1", "--for", "condition=Ready", "--timeout=20s");
        change.get(5, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        assertEquals("pod/web-1 condition met\n", r.out());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 500, "returned before the change was made");
    }

    @Test
    void timesOutWithKubectlsMessageAndExitCode() {
        reportReady("web-1", false);
        long started = System.nanoTime();
        Run r = mo("wait", "--for=condition=Ready", "pods/web-1", "--timeout=400ms");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("error: timed out waiting for the condition on pods/web-1\n", r.err());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 400, "gave up before the timeout");
    }

    @Test
    void waitsForDeletionAndAnObjectAlreadyGoneIsMetAtOnce() throws Exception {
        CompletableFuture<Void> deletion = later(() -> local.client().delete(Kind.CONFIG_MAP, "default", "settings"));
        Run r = mo("wait", "--for=delete", "configmap/settings", "--timeout=20s");
        deletion.get(5, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        assertEquals("configmap/settings condition met\n", r.out());

        Run gone = mo("wait", "--for=Delete", "configmap/settings", "--timeout=0");
        assertEquals(0, gone.exit(), gone.err());
        assertEquals("", gone.out() + gone.err());

        Run stays = mo("wait", "--for=delete", "pod/web-1", "--timeout=300ms");
        assertEquals(1, stays.exit());
        assertEquals("error: timed out waiting for the condition on pods/web-1\n", stays.err());
    }

    @Test
    void waitsForEveryObjectTheSelectorMatches() {
        reportReady("web-1", true);
        reportReady("web-2", true);
        Run r = mo("wait", "pods", "-l", "app=web", "--for=condition=Ready", "--timeout=5s");
        assertEquals(0, r.exit(), r.err());
        assertEquals(List.of("pod/web-1 condition met", "pod/web-2 condition met"), r.out().lines().sorted().toList());

        Run all = mo("wait", "pods", "--all", "--for=condition=Ready", "--timeout=300ms");
        assertEquals(1, all.exit());
        assertEquals("error: timed out waiting for the condition on pods/db-1\n", all.err());
    }

    @Test
    void saysSoWhenNothingMatches() {
        Run r = mo("wait", "pods", "-l", "app=none", "--for=condition=Ready");
        assertEquals(1, r.exit());
        assertEquals("error: no matching resources found\n", r.err());

        Run delete = mo("wait", "pods", "-l", "app=none", "--for=delete");
        assertEquals(0, delete.exit(), delete.err());

        Run missing = mo("wait", "pod/nope", "--for=condition=Ready");
        assertEquals(1, missing.exit());
        assertEquals("Error from server (NotFound): pods \"nope\" not found\n", missing.err());
    }

    @Test
    void waitsForAFieldByASimpleJsonPath() throws Exception {
        CompletableFuture<Void> change = later(() -> Edits.modify(local.client(), Kind.CONFIG_MAP, "default", "settings", cm -> {
            ((ObjectNode) cm.get("data")).put("state", "done");
            return cm;
        }));
        Run r = mo("wait", "configmap/settings", "--for=jsonpath={.data.state}=done", "--timeout=20s");
        change.get(5, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.err());
        assertEquals("configmap/settings condition met\n", r.out());

        Run set = mo("wait", "configmap/settings", "--for=jsonpath=.data.state", "--timeout=0");
        assertEquals(0, set.exit(), set.err());

        Run filter = mo("wait", "pod/web-1", "--for=jsonpath={.status.conditions[0].status}=True");
        assertEquals(1, filter.exit());
        assertTrue(filter.err().startsWith("error: jsonpath expression \"{.status.conditions[0].status}\" is not supported"), filter.err());
    }

    @Test
    void refusesWhatKubectlRefuses() {
        Run noFor = mo("wait", "pod/web-1");
        assertEquals(1, noFor.exit());
        assertEquals("error: unrecognized condition: \"\"\n", noFor.err());

        Run unknown = mo("wait", "pod/web-1", "--for=ready");
        assertEquals("error: unrecognized condition: \"ready\"\n", unknown.err());

        Run kindOnly = mo("wait", "pods", "--for=delete");
        assertEquals(1, kindOnly.exit());
        assertEquals("error: resource(s) were provided, but no name was specified\n", kindOnly.err());

        Run nothing = mo("wait", "--for=delete");
        assertEquals(1, nothing.exit());
        assertTrue(nothing.err().startsWith("error: You must provide one or more resources by argument or filename.\n"), nothing.err());
    }

    @Test
    void versionPrintsClientAndServer() {
        Run r = mo("version");
        assertEquals(0, r.exit(), r.err());
        assertEquals("Client Version: v" + Main.VERSION + "\nServer Version: v" + Main.VERSION + "\n", r.out());

        Run client = mo("version", "--client");
        assertEquals("Client Version: v0.1.0\n", client.out());

        Run json = mo("version", "-o", "json");
        assertEquals(0, json.exit(), json.err());
        ObjectNode parsed = Json.parse(json.out());
        assertEquals("v0.1.0", parsed.at("/clientVersion/gitVersion").asText());
        assertEquals("0", parsed.at("/serverVersion/major").asText());
        assertEquals("1", parsed.at("/serverVersion/minor").asText());
        assertTrue(json.out().startsWith("{\n  \"clientVersion\": {\n    \"major\": \"0\",\n"), json.out());

        Run yaml = mo("version", "--client", "-o", "yaml");
        assertTrue(yaml.out().startsWith("clientVersion:\n  gitVersion: v0.1.0\n  major: \"0\"\n  minor: \"1\"\n"), yaml.out());

        Run wrong = mo("version", "-o", "wide");
        assertEquals(1, wrong.exit());
        assertEquals("error: --output must be 'yaml' or 'json'\n", wrong.err());
    }

    @Test
    void versionWithoutAServerPrintsTheClientsThenFails() {
        Run r = local.moAt("https://127.0.0.1:1", "version");
        assertEquals(1, r.exit());
        assertEquals("Client Version: v0.1.0\n", r.out());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("start one with `mo server`"), r.err());

        Run clientOnly = local.moAt("https://127.0.0.1:1", "version", "--client");
        assertEquals(0, clientOnly.exit(), clientOnly.err());
    }

    @Test
    void versionEndpointAnswersWithoutAToken() {
        MoClient anonymous = new MoClient(local.server, null, ClientOptions.clusterTrust(local.stateDir));
        ObjectNode version = anonymous.serverVersion();
        assertEquals("v0.1.0", version.path("gitVersion").asText());
        assertTrue(version.path("platform").asText().matches("[a-z0-9]+/[a-z0-9_]+"), version.toString());
    }

    @Test
    void completionScriptIsValidBashAndCompletesVerbs() throws Exception {
        Run bash = offline("completion", "bash");
        assertEquals(0, bash.exit(), bash.err());
        Path script = dir.resolve("mo-completion.bash");
        Files.writeString(script, bash.out());
        assertEquals("", runBash("bash", "-n", script.toString()));

        String completions = runBash("bash", "-c", "source " + script + "; COMP_WORDS=(mo wa); COMP_CWORD=1; COMP_LINE='mo wa';"
                + " COMP_POINT=5; _complete_mo; printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertTrue(completions.lines().anyMatch("wait"::equals), completions);
        assertFalse(completions.lines().anyMatch("get"::equals), completions);

        Run zsh = offline("completion", "zsh");
        assertEquals(bash.out(), zsh.out());
        assertTrue(zsh.out().contains("bashcompinit"), "the script loads zsh's bash completion layer");

        Run fish = offline("completion", "fish");
        assertEquals(1, fish.exit());
        assertEquals("error: Unsupported shell type \"fish\".\nSee 'mo completion -h' for help and examples\n", fish.err());
        Run none = offline("completion");
        assertEquals("error: Shell not specified.\nSee 'mo completion -h' for help and examples\n", none.err());
    }

    /** A command that needs no server (mo completion takes no --server). */
    static Run offline(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Runs bash; returns what it printed (stdout and stderr), failing the test on a non-zero exit. */
    static String runBash(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        return output;
    }
}
