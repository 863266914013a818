package dev.mo.examples;

/** The manifests the node tests run: a Namespace, the hello Deployment with a readiness probe, its Service and an Ingress to it. */
final class HelloWeb {
    private HelloWeb() {}

    static String manifests(String namespace, int replicas) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata: {name: %1$s}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: %1$s}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      terminationGracePeriodSeconds: 2
                      containers:
                        - name: web
                          image: mo-example/hello:v1
                          ports: [{containerPort: 8080}]
                          readinessProbe:
                            httpGet: {path: /ready, port: 8080}
                            periodSeconds: 1
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: %1$s}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 8080}]
                ---
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: web, namespace: %1$s}
                spec:
                  defaultBackend: {service: {name: web, port: {number: 80}}}
                """.formatted(namespace, replicas);
    }
}
