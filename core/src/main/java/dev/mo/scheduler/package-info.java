/**
 * The scheduler: binds each pod that has no node to one. Split as Kubernetes splits it:
 * filter the nodes that can run the pod (Ready, schedulable, where its claim's volume is, room
 * for its requests in {@code status.allocatable}), score those, pick the best; the choice itself is a
 * pure function ({@link dev.mo.scheduler.Scheduler#choose}) tested without a cluster.
 */
package dev.mo.scheduler;
