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
        ObjectNode ing = json("""
            {'apiVersion':'networking.k8s.io/v1','kind':'Ingress','metadata':{'name':'web','namespace':'default','uid':'u-1'},
             'spec':{'ingressClassName':'nginx','rules':[{'host':'shop.example.com'}]}}""");
        assertEquals("""
                Name:         web
                Namespace:    default
                Labels:       <none>
                Annotations:  <none>
                API Version:  networking.k8s.io/v1
                Kind:         Ingress
                Metadata:
                  UID:  u-1
                Spec:
                  Ingress Class Name:  nginx
                  Rules:
                    Host:  shop.example.com
                Events:    <none>
                """, Describer.describe(ing, List.of(), CLOCK));
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
}
