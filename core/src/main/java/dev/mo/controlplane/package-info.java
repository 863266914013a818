/**
 * The control plane's own rules for objects: how an apply creates or updates them, how a
 * delete proceeds, how the agents' reports land, and how events are recorded. The HTTP API
 * and the controllers both go through {@link dev.mo.controlplane.ObjectService}.
 */
package dev.mo.controlplane;
