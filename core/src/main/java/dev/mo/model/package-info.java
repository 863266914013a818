/** Objects in Kubernetes' own shape (JSON trees) and small helpers to read them. */
package dev.mo.model;
