/**
 * The scheduler: binds each pod that has no node to one. Split as Kubernetes splits it:
 * filter the nodes that can run the pod (not cordoned, taints tolerated, node affinity and
 * nodeSelector matched, room for its requests in {@code status.allocatable}, where its claim's
 * volume is, pod (anti-)affinity kept), score those, pick the best; the choice itself is a pure
 * function ({@link dev.mo.scheduler.Scheduler#choose}) tested without a cluster, and each rule a
 * small class of its own ({@link dev.mo.scheduler.NodeAffinityRule},
 * {@link dev.mo.scheduler.TaintToleration}, {@link dev.mo.scheduler.PodAffinityRule}).
 */
package dev.mo.scheduler;
