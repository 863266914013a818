/**
 * The scheduler: binds each pod that has no node to one. Split as Kubernetes splits it:
 * filter the nodes that can run the pod, score those, pick the best; the choice itself is a
 * pure function ({@link dev.mo.scheduler.Scheduler#choose}) tested without a cluster.
 */
package dev.mo.scheduler;
