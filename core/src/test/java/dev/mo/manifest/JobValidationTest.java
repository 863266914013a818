package dev.mo.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A batch/v1 Job's errors as the API server reports them: the field, the line (marked {@code #<})
 * and the message, in ValidatorErrorsTest's style.
 */
class JobValidationTest {

    /** A valid Job; cases replace one of its lines. */
    private static final String JOB = """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: pi
            spec:
              completions: 3
              parallelism: 2
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: pi
                      image: perl:5.34
                      command: ["perl", "-e", "print 1"]
            """;

    private static String job(String text, String replacement) {
        int at = JOB.indexOf(text);
        if (at < 0) throw new IllegalArgumentException("no text " + text);
        return JOB.substring(0, at) + replacement + JOB.substring(at + text.length());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments("restartPolicy Always", job("restartPolicy: Never", "restartPolicy: Always #<"),
                        "spec.template.spec.restartPolicy", "must be OnFailure or Never for a Job, got \"Always\""),
                arguments("restartPolicy absent", job("      restartPolicy: Never\n", "").replace("    spec:\n", "    spec: #<\n"),
                        "spec.template.spec.restartPolicy", "absent, it defaults to Always"),
                arguments("negative completions", job("completions: 3", "completions: -1 #<"),
                        "spec.completions", "must be greater than or equal to 0, got -1"),
                arguments("negative parallelism", job("parallelism: 2", "parallelism: -2 #<"),
                        "spec.parallelism", "must be greater than or equal to 0, got -2"),
                arguments("negative backoffLimit", job("parallelism: 2", "parallelism: 2\n  backoffLimit: -1 #<"),
                        "spec.backoffLimit", "must be greater than or equal to 0, got -1"),
                arguments("zero activeDeadlineSeconds", job("parallelism: 2", "parallelism: 2\n  activeDeadlineSeconds: 0 #<"),
                        "spec.activeDeadlineSeconds", "must be greater than or equal to 1, got 0"),
                arguments("negative ttlSecondsAfterFinished", job("parallelism: 2", "parallelism: 2\n  ttlSecondsAfterFinished: -5 #<"),
                        "spec.ttlSecondsAfterFinished", "must be greater than or equal to 0, got -5"),
                arguments("unknown completionMode", job("parallelism: 2", "parallelism: 2\n  completionMode: Sorted #<"),
                        "spec.completionMode", "must be one of NonIndexed, Indexed, got \"Sorted\""),
                arguments("Indexed without completions", job("  completions: 3\n", "")
                                .replace("parallelism: 2", "parallelism: 2\n  completionMode: Indexed")
                                .replace("spec:\n  parallelism", "spec: #<\n  parallelism"),
                        "spec.completions", "required when completionMode is Indexed"),
                arguments("template missing", job("  template:", "  templat:").replace("spec:\n  completions", "spec: #<\n  completions"),
                        "spec.template", "required"),
                arguments("selector without manualSelector", job("parallelism: 2",
                                "parallelism: 2\n  selector: #<\n    matchLabels: {app: pi}"),
                        "spec.selector", "`selector` not auto-generated"),
                arguments("manualSelector without selector", job("parallelism: 2", "parallelism: 2\n  manualSelector: true")
                                .replace("spec:\n  completions", "spec: #<\n  completions"),
                        "spec.selector", "required"),
                arguments("manualSelector not matching", job("parallelism: 2",
                                "parallelism: 2\n  manualSelector: true\n  selector: #<\n    matchLabels: {app: pi}"),
                        "spec.selector", "does not match template labels"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheFieldAndLine(String name, String yaml, String fieldPath, String message) {
        LoadResult result = ManifestLoader.parse("job.yaml", yaml);
        ManifestProblem problem = result.errors().stream()
                .filter(e -> fieldPath.equals(e.fieldPath()) && e.message().contains(message))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error at " + fieldPath + " containing '" + message
                        + "'; got " + result.errors()));
        assertEquals(ValidatorErrorsTest.markedLine(yaml), problem.line(), () -> "line of " + problem.format());
        assertEquals("job.yaml", problem.source());
    }

    @Test
    void theSampleIsValidAndWarnsOfNothing() {
        LoadResult result = ManifestLoader.parse("job.yaml", JOB);
        assertEquals(List.of(), result.errors());
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void aManualSelectorMatchingTheTemplateIsHonoured() {
        String yaml = job("parallelism: 2", "parallelism: 2\n  manualSelector: true\n  selector:\n    matchLabels: {app: pi}")
                .replace("    spec:\n      restartPolicy", "    metadata:\n      labels: {app: pi}\n    spec:\n      restartPolicy");
        assertEquals(List.of(), ManifestLoader.parse("job.yaml", yaml).errors());
    }

    @Test
    void podFailurePolicyIsAcceptedWithAWarning() {
        String yaml = job("parallelism: 2", "parallelism: 2\n  podFailurePolicy:\n    rules: []");
        LoadResult result = ManifestLoader.parse("job.yaml", yaml);
        assertEquals(List.of(), result.errors());
        assertTrue(result.warnings().stream().anyMatch(w -> w.fieldPath().equals("spec.podFailurePolicy")),
                result.warnings()::toString);
    }
}
