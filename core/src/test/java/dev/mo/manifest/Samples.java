package dev.mo.manifest;

/** Manifests shared by the tests. */
final class Samples {
    private Samples() {}

    /** A realistic application: every kind mo accepts, with probes, resources, claims and both HPA versions. */
    static final String SHOP = """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: shop
              labels:
                team: web
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web-config
              namespace: shop
            data:
              LOG_LEVEL: info
              app.properties: |
                greeting=hello
            immutable: false
            ---
            apiVersion: v1
            kind: Secret
            metadata:
              name: db-credentials
              namespace: shop
            type: Opaque
            data:
              username: cG9zdGdyZXM=
            stringData:
              password: s3cret
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: uploads
              namespace: shop
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: standard
              resources:
                requests:
                  storage: 1Gi
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: postgres
              namespace: shop
            spec:
              serviceName: postgres
              replicas: 1
              selector:
                matchLabels:
                  app: postgres
              persistentVolumeClaimRetentionPolicy:
                whenDeleted: Retain
                whenScaled: Delete
              ordinals:
                start: 0
              template:
                metadata:
                  labels:
                    app: postgres
                spec:
                  terminationGracePeriodSeconds: 60
                  securityContext:
                    fsGroup: 999
                  containers:
                    - name: postgres
                      image: postgres:16.3
                      ports:
                        - name: pg
                          containerPort: 5432
                      env:
                        - name: POSTGRES_USER
                          valueFrom:
                            secretKeyRef:
                              name: db-credentials
                              key: username
                        - name: POSTGRES_PASSWORD
                          valueFrom:
                            secretKeyRef: {name: db-credentials, key: password}
                        - name: POD_IP
                          valueFrom:
                            fieldRef:
                              fieldPath: status.podIP
                      readinessProbe:
                        exec:
                          command: [pg_isready, -U, postgres]
                        initialDelaySeconds: 5
                        periodSeconds: 5
                      livenessProbe:
                        tcpSocket:
                          port: pg
                        failureThreshold: 6
                      resources:
                        requests: {cpu: 250m, memory: 256Mi}
                        limits: {cpu: "1", memory: 1Gi}
                      volumeMounts:
                        - name: data
                          mountPath: /var/lib/postgresql/data
              volumeClaimTemplates:
                - metadata:
                    name: data
                  spec:
                    accessModes: ["ReadWriteOnce"]
                    resources:
                      requests:
                        storage: 5Gi
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
            spec:
              selector:
                app: web
              ports:
                - name: http
                  port: 80
                  targetPort: http
                - name: metrics
                  port: 9090
                  targetPort: 9090
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: shop
              labels:
                app.kubernetes.io/name: web
              annotations:
                example.com/owner: team-web
            spec:
              replicas: 3
              revisionHistoryLimit: 5
              selector:
                matchLabels:
                  app: web
                matchExpressions:
                  - {key: tier, operator: In, values: [frontend]}
                  - {key: canary, operator: DoesNotExist}
              strategy:
                type: RollingUpdate
                rollingUpdate:
                  maxSurge: 1
                  maxUnavailable: 25%
              template:
                metadata:
                  labels:
                    app: web
                    tier: frontend
                spec:
                  initContainers:
                    - name: migrate
                      image: registry.example.com:5000/shop/migrate@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
                      command: ["/migrate", "--up"]
                  containers:
                    - name: web
                      image: nginx:1.27
                      imagePullPolicy: IfNotPresent
                      args: ["--port", "8080"]
                      workingDir: /srv
                      ports:
                        - name: http
                          containerPort: 8080
                          protocol: TCP
                        - name: metrics
                          containerPort: 9090
                      envFrom:
                        - configMapRef:
                            name: web-config
                        - secretRef:
                            name: db-credentials
                          prefix: DB_
                      env:
                        - name: GREETING
                          value: "hello"
                        - name: CPU_LIMIT
                          valueFrom:
                            resourceFieldRef:
                              resource: limits.cpu
                              divisor: 1m
                      startupProbe:
                        httpGet: {path: /healthz, port: http}
                        failureThreshold: 30
                      livenessProbe:
                        httpGet:
                          path: /healthz
                          port: 8080
                          httpHeaders:
                            - {name: X-Probe, value: "1"}
                        timeoutSeconds: 2
                      readinessProbe:
                        grpc:
                          port: 9090
                      lifecycle:
                        preStop:
                          sleep:
                            seconds: 5
                      resources:
                        requests:
                          cpu: 100m
                          memory: 128Mi
                        limits:
                          cpu: 500m
                          memory: 256Mi
                      securityContext:
                        runAsNonRoot: true
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: [ALL]
                      volumeMounts:
                        - name: uploads
                          mountPath: /srv/uploads
                        - name: config
                          mountPath: /etc/web
                          readOnly: true
                        - name: cache
                          mountPath: /tmp
                        - name: podinfo
                          mountPath: /etc/podinfo
                        - name: everything
                          mountPath: /etc/all
                  volumes:
                    - name: uploads
                      persistentVolumeClaim:
                        claimName: uploads
                    - name: config
                      configMap:
                        name: web-config
                        items:
                          - key: app.properties
                            path: app.properties
                    - name: cache
                      emptyDir:
                        sizeLimit: 64Mi
                    - name: podinfo
                      downwardAPI:
                        items:
                          - path: labels
                            fieldRef:
                              fieldPath: metadata.labels
                    - name: everything
                      projected:
                        sources:
                          - secret: {name: db-credentials}
                          - serviceAccountToken: {path: token, expirationSeconds: 3600}
                  nodeSelector:
                    kubernetes.io/os: linux
                  tolerations:
                    - key: dedicated
                      operator: Equal
                      value: web
                      effect: NoSchedule
                  affinity:
                    podAntiAffinity:
                      preferredDuringSchedulingIgnoredDuringExecution:
                        - weight: 100
                          podAffinityTerm:
                            topologyKey: kubernetes.io/hostname
                            labelSelector:
                              matchLabels: {app: web}
                  topologySpreadConstraints:
                    - maxSkew: 1
                      topologyKey: topology.kubernetes.io/zone
                      whenUnsatisfiable: ScheduleAnyway
                      labelSelector:
                        matchLabels: {app: web}
            ---
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata:
              name: web
              namespace: shop
              annotations:
                nginx.ingress.kubernetes.io/rewrite-target: /
            spec:
              ingressClassName: nginx
              tls:
                - hosts: [shop.example.com]
                  secretName: shop-tls
              rules:
                - host: shop.example.com
                  http:
                    paths:
                      - path: /
                        pathType: Prefix
                        backend:
                          service:
                            name: web
                            port:
                              name: http
                      - path: /metrics
                        pathType: Exact
                        backend:
                          service:
                            name: web
                            port:
                              number: 9090
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: web
              namespace: shop
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: web
              minReplicas: 2
              maxReplicas: 10
              metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target:
                      type: Utilization
                      averageUtilization: 70
                - type: Pods
                  pods:
                    metric:
                      name: requests_per_second
                    target:
                      type: AverageValue
                      averageValue: 1k
              behavior:
                scaleDown:
                  stabilizationWindowSeconds: 300
                  policies:
                    - type: Percent
                      value: 50
                      periodSeconds: 60
            ---
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata:
              name: postgres
              namespace: shop
            spec:
              scaleTargetRef:
                kind: StatefulSet
                name: postgres
              maxReplicas: 3
              targetCPUUtilizationPercentage: 80
            """;
}
