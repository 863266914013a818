/**
 * The scheduler: binds each pod that has no node to one. Split as Kubernetes splits it:
 * filter the nodes that can run the pod (not cordoned, taints tolerated, node affinity and
 * nodeSelector matched, room for its requests in {@code status.allocatable}, where its claim's
 * volume is, DoNotSchedule topology spread constraints kept, pod (anti-)affinity kept), score
 * those, pick the best; the choice itself is a pure function
 * ({@link dev.mo.scheduler.Scheduler#choose}) tested without a cluster, and each rule a small
 * class of its own ({@link dev.mo.scheduler.NodeAffinityRule},
 * {@link dev.mo.scheduler.TaintToleration}, {@link dev.mo.scheduler.TopologySpreadRule},
 * {@link dev.mo.scheduler.PodAffinityRule}). A pod without topology spread constraints is
 * spread over hosts by its owner first (mo's stand-in for Kubernetes' default constraints); one
 * with constraints is spread by them, as in Kubernetes.
 */
package dev.mo.scheduler;
