package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mo.cli.output.Samples.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DescriberTest {
    private static ObjectNode event(String reason, String from, String message, String first, String last, int count) {
        return json("""
            {'apiVersion':'v1','kind':'Event','metadata':{'name':'e-%s','namespace':'default'},
             'involvedObject':{'kind':'Pod','name':'web-1'},'type':'Normal','reason':'%s',
             'source':{'component':'%s'},'message':'%s','firstTimestamp':'%s','lastTimestamp':'%s','count':%d}
            """.formatted(reason, reason, from, message, first, last, count));
    }

    @Test
    void podWithEvents() {
        List<ObjectNode> events = List.of(
                event("Pulled", "kubelet", "", "2024-01-01T11:55:00Z", "2024-01-01T11:58:00Z", 3)
                        .put("message", "Container image \"nginx:1.25\" already present on machine"),
                event("Scheduled", "default-scheduler", "Successfully assigned default/web-1 to node-1",
                        "2024-01-01T11:55:00Z", "2024-01-01T11:55:00Z", 1));
        assertEquals("""
                Name:             web-1
                Namespace:        default
                Service Account:  default
                Node:             node-1/192.168.1.10
                Start Time:       Mon, 01 Jan 2024 11:55:00 +0000
                Labels:           app=web
                                  pod-template-hash=7d4b9c8f6d
                Annotations:      <none>
                Status:           Running
                IP:               10.244.1.5
                IPs:
                  IP:           10.244.1.5
                Controlled By:  ReplicaSet/web-7d4b9c8f6d
                Containers:
                  web:
                    Container ID:   docker://1234
                    Image:          nginx:1.25
                    Image ID:       docker-pullable://nginx@sha256:abc
                    Port:           80/TCP
                    Host Port:      0/TCP
                    State:          Running
                      Started:      Mon, 01 Jan 2024 11:55:05 +0000
                    Ready:          True
                    Restart Count:  0
                    Environment:
                      MODE:  prod
                    Mounts:  <none>
                Conditions:
                  Type              Status
                  Initialized       True\s
                  Ready             True\s
                  ContainersReady   True\s
                  PodScheduled      True\s
                Volumes:            <none>
                QoS Class:          BestEffort
                Node-Selectors:     <none>
                Tolerations:        <none>
                Events:
                  Type    Reason     Age              From               Message
                  ----    ------     ----             ----               -------
                  Normal  Scheduled  5m               default-scheduler  Successfully assigned default/web-1 to node-1
                  Normal  Pulled     2m (x3 over 5m)  kubelet            Container image "nginx:1.25" already present on machine
                """, Describer.describe(runningPod(), events, CLOCK));
    }

    @Test
    void crashingPodShowsWaitingReasonAndLastState() {
        String text = Describer.describe(crashingPod(), List.of(), CLOCK);
        assertEquals("""
                Containers:
                  app:
                    Container ID:  \s
                    Image:          busybox
                    Image ID:      \s
                    Port:           <none>
                    Host Port:      <none>
                    State:          Waiting
                      Reason:       CrashLoopBackOff
                    Last State:     Terminated
                      Reason:       Error
                      Exit Code:    1
                      Started:      Mon, 01 Jan 2024 11:59:20 +0000
                      Finished:     Mon, 01 Jan 2024 11:59:25 +0000
                    Ready:          False
                    Restart Count:  4
                    Environment:    <none>
                    Mounts:         <none>
                """, text.substring(text.indexOf("Containers:"), text.indexOf("Volumes:")));
        assertEquals("Events:             <none>\n", text.substring(text.indexOf("Events:")));
    }

    @Test
    void deploymentWithReplicaSetsAndEvents() {
        ObjectNode d = deployment("web", 3, 3, 3, 3, "2023-12-30T09:00:00Z");
        ObjectNode newRS = json("""
            {'apiVersion':'apps/v1','kind':'ReplicaSet','metadata':{'name':'web-7d4b9c8f6d','namespace':'default',
               'annotations':{'deployment.kubernetes.io/revision':'1'}},
             'spec':{'replicas':3,'template':{'metadata':{'labels':{'app':'web','pod-template-hash':'7d4b9c8f6d'}},
               'spec':{'containers':[{'name':'web','image':'nginx:1.25','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}},
             'status':{'replicas':3}}""");
        ObjectNode oldRS = json("""
            {'apiVersion':'apps/v1','kind':'ReplicaSet','metadata':{'name':'web-5f6c7d8e9f','namespace':'default'},
             'spec':{'replicas':0,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx:1.24'}]}}},
             'status':{'replicas':0}}""");
        ObjectNode scaled = json("""
            {'kind':'Event','metadata':{'name':'web.1'},'type':'Normal','reason':'ScalingReplicaSet',
             'source':{'component':'deployment-controller'},'message':'Scaled up replica set web-7d4b9c8f6d to 3',
             'firstTimestamp':'2024-01-01T11:50:00Z','lastTimestamp':'2024-01-01T11:50:00Z','count':1}""");
        assertEquals("""
                Name:                   web
                Namespace:              default
                CreationTimestamp:      Sat, 30 Dec 2023 09:00:00 +0000
                Labels:                 app=web
                Annotations:            deployment.kubernetes.io/revision: 1
                Selector:               app=web
                Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
                StrategyType:           RollingUpdate
                MinReadySeconds:        0
                RollingUpdateStrategy:  25% max unavailable, 25% max surge
                Pod Template:
                  Labels:  app=web
                  Containers:
                   web:
                    Image:         nginx:1.25
                    Port:          80/TCP
                    Host Port:     0/TCP
                    Environment:   <none>
                    Mounts:        <none>
                  Volumes:         <none>
                  Node-Selectors:  <none>
                  Tolerations:     <none>
                Conditions:
                  Type           Status  Reason
                  ----           ------  ------
                  Available      True    MinimumReplicasAvailable
                  Progressing    True    NewReplicaSetAvailable
                OldReplicaSets:  <none>
                NewReplicaSet:   web-7d4b9c8f6d (3/3 replicas created)
                Events:
                  Type    Reason             Age   From                   Message
                  ----    ------             ----  ----                   -------
                  Normal  ScalingReplicaSet  10m   deployment-controller  Scaled up replica set web-7d4b9c8f6d to 3
                """, Describer.describe(d, List.of(scaled), List.of(oldRS, newRS), CLOCK));
    }

    @Test
    void secretShowsSizesNeverValues() {
        ObjectNode secret = json("""
            {'apiVersion':'v1','kind':'Secret','metadata':{'name':'db-pass','namespace':'default'},'type':'Opaque',
             'data':{'username':'YWRtaW4=','password':'czNjcjN0'}}""");
        assertEquals("""
                Name:         db-pass
                Namespace:    default
                Labels:       <none>
                Annotations:  <none>

                Type:  Opaque

                Data
                ====
                password:  6 bytes
                username:  5 bytes
                """, Describer.describe(secret, null, CLOCK));
    }

    @Test
    void configMapAndNamespace() {
        ObjectNode cm = json("""
            {'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg','namespace':'default'},
             'data':{'b.txt':'two','a.properties':'x=1\\ny=2'}}""");
        assertEquals("""
                Name:         cfg
                Namespace:    default
                Labels:       <none>
                Annotations:  <none>

                Data
                ====
                a.properties:
                ----
                x=1
                y=2
                b.txt:
                ----
                two

                BinaryData
                ====

                Events:  <none>
                """, Describer.describe(cm, List.of(), CLOCK));
        ObjectNode ns = json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'shop','labels':{'kubernetes.io/metadata.name':'shop'}},'status':{'phase':'Active'}}");
        assertEquals("""
                Name:         shop
                Labels:       kubernetes.io/metadata.name=shop
                Annotations:  <none>
                Status:       Active

                No resource quota.

                No LimitRange resource.
                """, Describer.describe(ns, null, CLOCK));
    }

    @Test
    void otherKindsUseKubectlsGenericLayout() {
        ObjectNode policy = json("""
            {'apiVersion':'networking.k8s.io/v1','kind':'NetworkPolicy','metadata':{'name':'web','namespace':'default','uid':'u-1'},
             'spec':{'podSelector':{'matchLabels':{'app':'web'}},'policyTypes':['Ingress']}}""");
        assertEquals("""
                Name:         web
                Namespace:    default
                Labels:       <none>
                Annotations:  <none>
                API Version:  networking.k8s.io/v1
                Kind:         NetworkPolicy
                Metadata:
                  UID:  u-1
                Spec:
                  Pod Selector:
                    Match Labels:
                      App:  web
                  Policy Types:
                    Ingress
                Events:  <none>
                """, Describer.describe(policy, List.of(), CLOCK));
    }

    @Test
    void aClaimSaysWhichPodsUseItAndThatItIsTerminating() {
        ObjectNode pvc = json("""
            {'apiVersion':'v1','kind':'PersistentVolumeClaim','metadata':{'name':'data','namespace':'shop',
              'deletionTimestamp':'2024-01-01T11:58:00Z','finalizers':['kubernetes.io/pvc-protection'],
              'annotations':{'mo.dev/node':'n1'}},
             'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':{'storage':'1Gi'}},'volumeMode':'Filesystem',
              'volumeName':'mo-pvc-shop-data'},
             'status':{'phase':'Bound','capacity':{'storage':'1Gi'},'accessModes':['ReadWriteOnce']}}""");
        List<ObjectNode> pods = List.of(
                json("{'metadata':{'name':'db-1'},'spec':{'volumes':[{'name':'d','persistentVolumeClaim':{'claimName':'data'}}]}}"),
                json("{'metadata':{'name':'web'},'spec':{'volumes':[{'name':'d','emptyDir':{}}]}}"),
                json("{'metadata':{'name':'db-0'},'spec':{'volumes':[{'name':'d','persistentVolumeClaim':{'claimName':'data'}}]}}"));
        assertEquals("""
                Name:          data
                Namespace:     shop
                StorageClass: \s
                Status:        Terminating (lasts 2m)
                Volume:        mo-pvc-shop-data
                Labels:        <none>
                Annotations:   mo.dev/node: n1
                Finalizers:    [kubernetes.io/pvc-protection]
                Capacity:      1Gi
                Access Modes:  RWO
                VolumeMode:    Filesystem
                Used By:       db-0
                               db-1
                Events:        <none>
                """, Describer.describe(pvc, List.of(), pods, CLOCK));
    }

    @Test
    void aHeadlessServiceShowsEachPodsNameAndAddress() {
        ObjectNode svc = json("""
            {'apiVersion':'v1','kind':'Service','metadata':{'name':'db','namespace':'shop'},
             'spec':{'clusterIP':'None','selector':{'app':'db'},'ports':[{'name':'sql','port':5432}]}}""");
        ObjectNode ep = json("""
            {'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'db','namespace':'shop'},
             'subsets':[
              {'addresses':[{'ip':'127.0.0.1','hostname':'db-0','targetRef':{'kind':'Pod','name':'db-0'}}],
               'ports':[{'name':'sql','port':32000}]},
              {'notReadyAddresses':[{'ip':'127.0.0.1','hostname':'db-1','targetRef':{'kind':'Pod','name':'db-1'}}],
               'ports':[{'name':'sql','port':32001}]}]}""");
        dev.mo.model.PodAddresses.record(ep, java.util.Map.of("db-0", "10.244.1.1", "db-1", "10.244.2.2"));
        String text = Describer.describe(svc, List.of(), List.of(ep), CLOCK);
        assertEquals(true, text.contains("""
                Pod Addresses:     db-0.db.shop.svc.cluster.local 10.244.1.1
                                   db-1.db.shop.svc.cluster.local 10.244.2.2 (not ready)
                """), text);
    }

    @Test
    void statefulSetCountsItsPodsAndShowsPartitionAndClaimTemplates() {
        List<ObjectNode> pods = List.of(podWithPhase("db-0", "Running"), podWithPhase("db-1", "Running"),
                podWithPhase("db-2", "Pending"));
        assertEquals("""
                Name:               db
                Namespace:          default
                CreationTimestamp:  Sun, 31 Dec 2023 12:00:00 +0000
                Selector:           app=db
                Labels:             app=db
                Annotations:        <none>
                Replicas:           3 desired | 3 total
                Update Strategy:    RollingUpdate
                  Partition:        2
                Pods Status:        2 Running / 1 Waiting / 0 Succeeded / 0 Failed
                Pod Template:
                  Labels:  app=db
                  Containers:
                   postgres:
                    Image:        postgres:16
                    Port:         <none>
                    Host Port:    <none>
                    Environment:  <none>
                    Mounts:
                      /var/lib/postgresql/data from data (rw)
                  Volumes:         <none>
                  Node-Selectors:  <none>
                  Tolerations:     <none>
                Volume Claims:
                  Name:          data
                  StorageClass:  standard
                  Labels:        tier=storage
                  Annotations:   <none>
                  Capacity:      1Gi
                  Access Modes:  [ReadWriteOnce]
                Events:          <none>
                """, Describer.describe(statefulSet(), List.of(), pods, CLOCK));
    }

    @Test
    void statefulSetOnDeleteHasNoPartitionAndNoClaims() {
        ObjectNode sts = statefulSet();
        ((ObjectNode) sts.get("spec")).putObject("updateStrategy").put("type", "OnDelete");
        ((ObjectNode) sts.get("spec")).remove("volumeClaimTemplates");
        String text = Describer.describe(sts, null, List.of(), CLOCK);
        assertEquals("""
                Update Strategy:    OnDelete
                Pods Status:        0 Running / 0 Waiting / 0 Succeeded / 0 Failed
                """, text.substring(text.indexOf("Update Strategy:"), text.indexOf("Pod Template:")));
        assertEquals("Volume Claims:     <none>\n", text.substring(text.indexOf("Volume Claims:")));
    }

    @Test
    void statefulSetWithoutStrategyShowsTheDefaultPartition() {
        ObjectNode sts = statefulSet();
        ((ObjectNode) sts.get("spec")).remove("updateStrategy");
        String text = Describer.describe(sts, null, List.of(), CLOCK);
        assertEquals("""
                Update Strategy:    RollingUpdate
                  Partition:        0
                """, text.substring(text.indexOf("Update Strategy:"), text.indexOf("Pods Status:")));
    }

    @Test
    void autoscalerShowsCurrentAgainstTargetAndConditions() {
        ObjectNode rescaled = json("""
            {'kind':'Event','metadata':{'name':'web.2'},'type':'Normal','reason':'SuccessfulRescale',
             'source':{'component':'horizontal-pod-autoscaler'},'message':'New size: 2; reason: Current number of replicas below Spec.MinReplicas',
             'firstTimestamp':'2024-01-01T11:00:00Z','lastTimestamp':'2024-01-01T11:00:00Z','count':1}""");
        assertEquals("""
                Name:                                                  web
                Namespace:                                             default
                Labels:                                                <none>
                Annotations:                                           <none>
                CreationTimestamp:                                     Mon, 01 Jan 2024 10:00:00 +0000
                Reference:                                             Deployment/web
                Metrics:                                               ( current / target )
                  resource cpu on pods  (as a percentage of request):  12% (6m) / 70%
                Min replicas:                                          2
                Max replicas:                                          5
                Deployment pods:                                       2 current / 2 desired
                Conditions:
                  Type           Status  Reason            Message
                  ----           ------  ------            -------
                  AbleToScale    True    ReadyForNewScale  recommended size matches current size
                  ScalingActive  True    ValidMetricFound  the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
                Events:
                  Type    Reason             Age   From                       Message
                  ----    ------             ----  ----                       -------
                  Normal  SuccessfulRescale  60m   horizontal-pod-autoscaler  New size: 2; reason: Current number of replicas below Spec.MinReplicas
                """, Describer.describe(autoscaler(), List.of(rescaled), CLOCK));
    }

    @Test
    void autoscalerBeforeItsFirstMeasurementShowsUnknown() {
        ObjectNode hpa = autoscaler();
        hpa.remove("status");
        ((ObjectNode) hpa.get("spec")).remove("minReplicas");
        String text = Describer.describe(hpa, List.of(), CLOCK);
        assertEquals("""
                Metrics:                                               ( current / target )
                  resource cpu on pods  (as a percentage of request):  <unknown> / 70%
                Min replicas:                                          <unset>
                Max replicas:                                          5
                Deployment pods:                                       0 current / 0 desired
                Events:                                                <none>
                """, text.substring(text.indexOf("Metrics:")));
    }

    @Test
    void autoscalingV1ObjectShowsItsCpuTargetAsAMetric() {
        ObjectNode hpa = json("""
            {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler',
             'metadata':{'name':'db','namespace':'default','creationTimestamp':'2024-01-01T10:00:00Z'},
             'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'StatefulSet','name':'db'},'minReplicas':1,'maxReplicas':3,
                     'targetCPUUtilizationPercentage':50},
             'status':{'currentReplicas':1,'desiredReplicas':1,'currentCPUUtilizationPercentage':20}}""");
        String text = Describer.describe(hpa, null, CLOCK);
        assertEquals("""
                Reference:                                             StatefulSet/db
                Metrics:                                               ( current / target )
                  resource cpu on pods  (as a percentage of request):  20% / 50%
                Min replicas:                                          1
                Max replicas:                                          3
                StatefulSet pods:                                      1 current / 1 desired
                """, text.substring(text.indexOf("Reference:")));
    }

    @Test
    void ingressListsEachPathWithItsServiceEndpoints() {
        assertEquals("""
                Name:             shop
                Labels:           <none>
                Namespace:        default
                Address:          192.168.1.10
                Ingress Class:    <none>
                Default backend:  <default>
                Rules:
                  Host              Path  Backends
                  ----              ----  --------
                  shop.example.com \s
                                    /      web:80 (10.244.1.5:8080,10.244.2.6:8080)
                                    /api   api:http (<error: endpoints "api" not found>)
                  *                \s
                                    /   web:80 (10.244.1.5:8080,10.244.2.6:8080)
                Annotations:        nginx.ingress.kubernetes.io/rewrite-target: /
                Events:             <none>
                """, Describer.describe(ingress(), List.of(), List.of(webService(), webEndpoints()), CLOCK));
    }

    @Test
    void ingressWithOnlyADefaultBackendShowsItAsTheCatchAllRule() {
        ObjectNode ing = json("""
            {'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'all','namespace':'default'},
             'spec':{'ingressClassName':'nginx','defaultBackend':{'service':{'name':'web','port':{'number':9090}}}}}""");
        String text = Describer.describe(ing, null, List.of(webService(), webEndpoints()), CLOCK);
        assertEquals("""
                Ingress Class:    nginx
                Default backend:  web:9090 (10.244.1.5:9090,10.244.2.6:9090)
                Rules:
                  Host        Path  Backends
                  ----        ----  --------
                  *           *     web:9090 (10.244.1.5:9090,10.244.2.6:9090)
                Annotations:  <none>
                """, text.substring(text.indexOf("Ingress Class:")));
        String withoutService = Describer.describe(ing, null, List.of(webEndpoints()), CLOCK);
        assertEquals(true, withoutService.contains("Default backend:  web:9090 (<error: services \"web\" not found>)\n"), withoutService);
    }

    @Test
    void jobWithEvents() {
        ObjectNode job = json("""
            {'kind':'Job','apiVersion':'batch/v1','metadata':{'name':'pi','namespace':'default','creationTimestamp':'2024-01-01T11:00:00Z',
              'labels':{'batch.kubernetes.io/controller-uid':'u-1','batch.kubernetes.io/job-name':'pi'}},
             'spec':{'completions':3,'parallelism':2,'backoffLimit':6,'completionMode':'NonIndexed','suspend':false,
              'ttlSecondsAfterFinished':100,'selector':{'matchLabels':{'batch.kubernetes.io/controller-uid':'u-1'}},
              'template':{'metadata':{'labels':{'batch.kubernetes.io/controller-uid':'u-1','batch.kubernetes.io/job-name':'pi'}},
               'spec':{'restartPolicy':'Never','containers':[{'name':'pi','image':'perl:5.34'}]}}},
             'status':{'startTime':'2024-01-01T11:00:00Z','completionTime':'2024-01-01T11:01:30Z','succeeded':3,'failed':1,
              'active':0,'ready':0,'conditions':[{'type':'Complete','status':'True'}]}}""");
        List<ObjectNode> events = List.of(
                event("SuccessfulCreate", "job-controller", "Created pod: pi-x2k4q", "2024-01-01T11:00:00Z", "2024-01-01T11:00:00Z", 1),
                event("Completed", "job-controller", "Job completed", "2024-01-01T11:01:30Z", "2024-01-01T11:01:30Z", 1));
        assertEquals(EXPECTED_JOB, Describer.describe(job, events, CLOCK));
    }

    /** kubectl describe job's layout for a Complete Job. */
    static final String EXPECTED_JOB = """
            Name:                        pi
            Namespace:                   default
            Selector:                    batch.kubernetes.io/controller-uid=u-1
            Labels:                      batch.kubernetes.io/controller-uid=u-1
                                         batch.kubernetes.io/job-name=pi
            Annotations:                 <none>
            Parallelism:                 2
            Completions:                 3
            Completion Mode:             NonIndexed
            Suspend:                     false
            Backoff Limit:               6
            TTL Seconds After Finished:  100
            Start Time:                  Mon, 01 Jan 2024 11:00:00 +0000
            Completed At:                Mon, 01 Jan 2024 11:01:30 +0000
            Duration:                    90s
            Pods Statuses:               0 Active (0 Ready) / 3 Succeeded / 1 Failed
            Pod Template:
              Labels:  batch.kubernetes.io/controller-uid=u-1
                       batch.kubernetes.io/job-name=pi
              Containers:
               pi:
                Image:         perl:5.34
                Port:          <none>
                Host Port:     <none>
                Environment:   <none>
                Mounts:        <none>
              Volumes:         <none>
              Node-Selectors:  <none>
              Tolerations:     <none>
            Events:
              Type    Reason            Age   From            Message
              ----    ------            ----  ----            -------
              Normal  SuccessfulCreate  60m   job-controller  Created pod: pi-x2k4q
              Normal  Completed         58m   job-controller  Job completed
            """;
}
