/**
 * The container runtime seen by the node agent: one small interface ({@link dev.mo.runtime.ContainerRuntime})
 * with two implementations, {@link dev.mo.runtime.DockerRuntime} for a real Docker engine and
 * {@link dev.mo.runtime.FakeRuntime}, an in-memory engine with scriptable faults for tests and benchmarks.
 * Nothing here knows about pods: the agent turns pods into {@link dev.mo.runtime.ContainerSpec}s and
 * reads back {@link dev.mo.runtime.ContainerInfo}s.
 */
package dev.mo.runtime;
