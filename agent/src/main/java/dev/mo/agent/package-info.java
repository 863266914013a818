/**
 * The node agent: runs the pods the control plane bound to this node on a {@link dev.mo.runtime.ContainerRuntime}.
 *
 * <p>Shaped like the kubelet: a loop observes (pods from {@link dev.mo.api.NodeApi}, containers from the
 * runtime, found by their {@link dev.mo.agent.Labels}), a pure {@link dev.mo.agent.PodSyncPlanner} decides
 * what to do, and {@link dev.mo.agent.NodeAgent} does it and reports each pod's status. Restart delays come
 * from {@link dev.mo.agent.CrashLoopBackOff}. {@link dev.mo.agent.AgentProcess} wires an agent, Docker and
 * the {@link dev.mo.agent.AgentHttpServer} (logs) from an {@link dev.mo.agent.AgentConfig}.
 */
package dev.mo.agent;
