/**
 * Controllers: one per kind, each level-triggered. A controller wakes when anything in the
 * store changes (and at least once a second), reads the desired and the observed state
 * afresh, and takes the steps that bring them closer. Nothing depends on having seen an
 * event, so a restarted control plane simply carries on.
 *
 * <p>A pass syncs its objects one at a time through {@link dev.mo.controller.FailedSyncs}
 * (Deployments, ReplicaSets, StatefulSets, Jobs, HPAs): one that throws gets a {@code SyncFailed}
 * Warning event and is retried with back-off (5 ms doubling, at most 5 min, or at once when the
 * object changes), while the pass goes on with the others.
 *
 * <pre>
 *   Deployment ──DeploymentController──▶ ReplicaSet ──ReplicaSetController──▶ Pod
 *              (RollingUpdatePlanner: one rollout step per pass, within maxSurge/maxUnavailable)
 *   StatefulSet ──StatefulSetController──▶ PVC data-db-i, then Pod db-i (ordered, one rollout step per pass)
 *   Job ──JobController──▶ Pods until completions succeed (parallelism at a time; after a failure,
 *        the next pod waits 10 s doubling to 6 min); Complete, or Failed past backoffLimit / activeDeadlineSeconds
 *   PVC ──PersistentVolumeClaimController──▶ Bound at once; mo.dev/node = node of its first pod;
 *        deleted while a pod uses it: Terminating (finalizer kubernetes.io/pvc-protection) until that pod is gone
 *   Pod (no node) ──Scheduler──▶ Pod (spec.nodeName) ──agent──▶ containers
 *   owner gone ──GarbageCollector──▶ dependents deleted
 *   Namespace Terminating ──NamespaceController──▶ emptied (pods stopped, claims released), then gone
 *   Node silent 40 s ──NodeLifecycleController──▶ Ready=Unknown, its pods Ready=False
 *   ... and 5 min more ──NodeLifecycleController──▶ its pods deleted (the ReplicaSet replaces them)
 *   HPA + pod metrics ──HorizontalPodAutoscalerController (ReplicaCalculator)──▶ Deployment spec.replicas
 * </pre>
 */
package dev.mo.controller;
