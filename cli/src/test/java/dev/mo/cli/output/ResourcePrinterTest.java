package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mo.cli.output.Samples.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ResourcePrinterTest {
    private static String print(Kind kind, List<ObjectNode> items, OutputFormat format, boolean allNamespaces) {
        return capture(out -> ResourcePrinter.print(kind, items, format, allNamespaces, out, CLOCK));
    }

    private static final List<ObjectNode> PODS = List.of(runningPod(), crashingPod(), terminatingPod(), creatingPod());

    @Test
    void podTable() {
        assertEquals("""
                NAME      READY   STATUS              RESTARTS      AGE
                web-1     1/1     Running             0             5m
                crash-1   0/1     CrashLoopBackOff    4 (35s ago)   10m
                old-1     1/1     Terminating         0             3h5m
                new-1     0/1     ContainerCreating   0             45s
                """, print(Kind.POD, PODS, OutputFormat.TABLE, false));
    }

    @Test
    void noHeadersShowLabelsAndLabelColumnsAsKubectlPrintsThem() {
        List<ObjectNode> pods = List.of(runningPod(), crashingPod());
        TableExtras extras = new TableExtras(true, true, List.of("app", "example.com/pod-template-hash", "tier"));
        String table = capture(out -> ResourcePrinter.print(Kind.POD, pods, OutputFormat.TABLE, false, extras, out, CLOCK));
        assertEquals("""
                web-1     1/1   Running            0             5m    web               app=web,pod-template-hash=7d4b9c8f6d
                crash-1   0/1   CrashLoopBackOff   4 (35s ago)   10m                     <none>
                """, table);
        String headed = capture(out -> ResourcePrinter.print(Kind.POD, pods, OutputFormat.TABLE, false,
                new TableExtras(false, false, List.of("app.kubernetes.io/name", "app")), out, CLOCK));
        assertEquals("NAME      READY   STATUS             RESTARTS      AGE   NAME   APP", headed.lines().findFirst().orElseThrow());
    }

    @Test
    void podTableWide() {
        assertEquals("""
                NAME      READY   STATUS              RESTARTS      AGE    IP           NODE     NOMINATED NODE   READINESS GATES
                web-1     1/1     Running             0             5m     10.244.1.5   node-1   <none>           <none>
                crash-1   0/1     CrashLoopBackOff    4 (35s ago)   10m    10.244.2.7   node-2   <none>           <none>
                old-1     1/1     Terminating         0             3h5m   10.244.1.4   node-1   <none>           <none>
                new-1     0/1     ContainerCreating   0             45s    <none>       <none>   <none>           <none>
                """, print(Kind.POD, PODS, OutputFormat.WIDE, false));
    }

    @Test
    void podTableAllNamespaces() {
        assertEquals("""
                NAMESPACE   NAME    READY   STATUS              RESTARTS   AGE
                default     web-1   1/1     Running             0          5m
                shop        new-1   0/1     ContainerCreating   0          45s
                """, print(Kind.POD, List.of(runningPod(), creatingPod()), OutputFormat.TABLE, true));
    }

    @Test
    void completedAndErrorAndOomKilledPods() {
        ObjectNode completed = json("""
            {'kind':'Pod','metadata':{'name':'job-1','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'containers':[{'name':'c'}]},
             'status':{'phase':'Succeeded','containerStatuses':[{'name':'c','ready':false,'restartCount':0,
                'state':{'terminated':{'exitCode':0,'reason':'Completed'}}}]}}""");
        ObjectNode oom = json("""
            {'kind':'Pod','metadata':{'name':'big-1','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'containers':[{'name':'c'},{'name':'d'}]},
             'status':{'phase':'Running','containerStatuses':[
                {'name':'c','ready':true,'restartCount':1,'state':{'running':{}},
                 'lastState':{'terminated':{'exitCode':137,'reason':'OOMKilled','finishedAt':'2024-01-01T11:58:00Z'}}},
                {'name':'d','ready':false,'restartCount':2,'state':{'terminated':{'exitCode':137,'reason':'OOMKilled'}}}]}}""");
        ObjectNode pullError = json("""
            {'kind':'Pod','metadata':{'name':'typo-1','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'containers':[{'name':'c'}]},
             'status':{'phase':'Pending','containerStatuses':[{'name':'c','ready':false,'restartCount':0,
                'state':{'waiting':{'reason':'ErrImagePull'}}}]}}""");
        assertEquals("""
                NAME     READY   STATUS         RESTARTS     AGE
                job-1    0/1     Completed      0            60m
                big-1    1/2     OOMKilled      3 (2m ago)   60m
                typo-1   0/1     ErrImagePull   0            60m
                """, print(Kind.POD, List.of(completed, oom, pullError), OutputFormat.TABLE, false));
    }

    @Test
    void deploymentTableAndWide() {
        List<ObjectNode> deployments = List.of(
                deployment("web", 3, 3, 3, 3, "2023-12-30T09:00:00Z"),
                deployment("api", 2, 1, 2, 1, "2022-11-27T12:00:00Z"));
        assertEquals("""
                NAME   READY   UP-TO-DATE   AVAILABLE   AGE
                web    3/3     3            3           2d3h
                api    1/2     2            1           400d
                """, print(Kind.DEPLOYMENT, deployments, OutputFormat.TABLE, false));
        assertEquals("""
                NAME   READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS   IMAGES       SELECTOR
                web    3/3     3            3           2d3h   web          nginx:1.25   app=web
                api    1/2     2            1           400d   api          nginx:1.25   app=api
                """, print(Kind.DEPLOYMENT, deployments, OutputFormat.WIDE, false));
    }

    @Test
    void serviceTable() {
        List<ObjectNode> services = List.of(
                json("""
                    {'kind':'Service','metadata':{'name':'kubernetes','creationTimestamp':'2023-12-22T12:00:00Z'},
                     'spec':{'type':'ClusterIP','clusterIP':'10.96.0.1','clusterIPs':['10.96.0.1'],
                             'ports':[{'name':'https','port':443,'protocol':'TCP','targetPort':6443}]}}"""),
                json("""
                    {'kind':'Service','metadata':{'name':'web','creationTimestamp':'2024-01-01T11:00:00Z'},
                     'spec':{'type':'NodePort','clusterIP':'10.96.0.20','selector':{'app':'web','tier':'front'},
                             'ports':[{'port':80,'nodePort':30080,'targetPort':8080}]}}"""),
                json("""
                    {'kind':'Service','metadata':{'name':'lb','creationTimestamp':'2024-01-01T11:00:00Z'},
                     'spec':{'type':'LoadBalancer','clusterIP':'10.96.0.30','ports':[{'port':53,'protocol':'UDP'}]}}"""),
                json("""
                    {'kind':'Service','metadata':{'name':'db','creationTimestamp':'2024-01-01T11:00:00Z'},
                     'spec':{'clusterIP':'None','selector':{'app':'db'}}}"""));
        assertEquals("""
                NAME         TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
                kubernetes   ClusterIP      10.96.0.1    <none>        443/TCP        10d
                web          NodePort       10.96.0.20   <none>        80:30080/TCP   60m
                lb           LoadBalancer   10.96.0.30   <pending>     53/UDP         60m
                db           ClusterIP      None         <none>        <none>         60m
                """, print(Kind.SERVICE, services, OutputFormat.TABLE, false));
        assertEquals("""
                NAME   TYPE       CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE   SELECTOR
                web    NodePort   10.96.0.20   <none>        80:30080/TCP   60m   app=web,tier=front
                """, print(Kind.SERVICE, List.of(services.get(1)), OutputFormat.WIDE, false));
    }

    @Test
    void nodeTable() {
        List<ObjectNode> nodes = List.of(
                json("""
                    {'kind':'Node','metadata':{'name':'node-1','creationTimestamp':'2023-11-17T12:00:00Z',
                       'labels':{'node-role.kubernetes.io/control-plane':'','kubernetes.io/hostname':'node-1'}},
                     'status':{'conditions':[{'type':'MemoryPressure','status':'False'},{'type':'Ready','status':'True'}],
                       'addresses':[{'type':'InternalIP','address':'192.168.1.10'},{'type':'Hostname','address':'node-1'}],
                       'nodeInfo':{'kubeletVersion':'v1.28.0','osImage':'Ubuntu 22.04.3 LTS','kernelVersion':'6.5.0',
                                   'containerRuntimeVersion':'docker://24.0.7'}}}"""),
                json("""
                    {'kind':'Node','metadata':{'name':'node-2','creationTimestamp':'2023-12-31T12:00:00Z'},
                     'spec':{'unschedulable':true},
                     'status':{'conditions':[{'type':'Ready','status':'False'}],'nodeInfo':{'kubeletVersion':'v1.28.0'}}}"""),
                json("""
                    {'kind':'Node','metadata':{'name':'node-3','creationTimestamp':'2024-01-01T11:58:01Z'},
                     'status':{'nodeInfo':{'kubeletVersion':'v1.28.0'}}}"""));
        assertEquals("""
                NAME     STATUS                        ROLES           AGE    VERSION
                node-1   Ready                         control-plane   45d    v1.28.0
                node-2   NotReady,SchedulingDisabled   <none>          24h    v1.28.0
                node-3   Unknown                       <none>          119s   v1.28.0
                """, print(Kind.NODE, nodes, OutputFormat.TABLE, false));
        assertEquals("""
                NAME     STATUS   ROLES           AGE   VERSION   INTERNAL-IP    EXTERNAL-IP   OS-IMAGE             KERNEL-VERSION   CONTAINER-RUNTIME
                node-1   Ready    control-plane   45d   v1.28.0   192.168.1.10   <none>        Ubuntu 22.04.3 LTS   6.5.0            docker://24.0.7
                """, print(Kind.NODE, List.of(nodes.get(0)), OutputFormat.WIDE, false));
    }

    @Test
    void smallKindsTables() {
        ObjectNode ns = json("{'kind':'Namespace','metadata':{'name':'shop','creationTimestamp':'2024-01-01T11:00:00Z'},'status':{'phase':'Active'}}");
        assertEquals("NAME   STATUS   AGE\nshop   Active   60m\n", print(Kind.NAMESPACE, List.of(ns), OutputFormat.TABLE, false));

        ObjectNode cm = json("{'kind':'ConfigMap','metadata':{'name':'cfg','creationTimestamp':'2024-01-01T11:00:00Z'},'data':{'a':'1','b':'2'}}");
        assertEquals("NAME   DATA   AGE\ncfg    2      60m\n", print(Kind.CONFIG_MAP, List.of(cm), OutputFormat.TABLE, false));

        ObjectNode secret = json("{'kind':'Secret','metadata':{'name':'db-pass','creationTimestamp':'2024-01-01T11:00:00Z'},'type':'Opaque','data':{'password':'c2VjcmV0'}}");
        assertEquals("NAME      TYPE     DATA   AGE\ndb-pass   Opaque   1      60m\n", print(Kind.SECRET, List.of(secret), OutputFormat.TABLE, false));

        ObjectNode pvc = json("""
            {'kind':'PersistentVolumeClaim','metadata':{'name':'data','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'volumeName':'pv-1','storageClassName':'standard','accessModes':['ReadWriteOnce']},
             'status':{'phase':'Bound','accessModes':['ReadWriteMany','ReadWriteOnce'],'capacity':{'storage':'1Gi'}}}""");
        assertEquals("""
                NAME   STATUS   VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
                data   Bound    pv-1     1Gi        RWO,RWX        standard       <unset>                 60m
                """, print(Kind.PERSISTENT_VOLUME_CLAIM, List.of(pvc), OutputFormat.TABLE, false));

        ObjectNode ingress = json("""
            {'kind':'Ingress','metadata':{'name':'web','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'ingressClassName':'nginx','rules':[{'host':'shop.example.com'},{'host':'api.example.com'}],'tls':[{'hosts':['shop.example.com']}]},
             'status':{'loadBalancer':{'ingress':[{'ip':'192.168.1.10'}]}}}""");
        assertEquals("""
                NAME   CLASS   HOSTS                              ADDRESS        PORTS     AGE
                web    nginx   shop.example.com,api.example.com   192.168.1.10   80, 443   60m
                """, print(Kind.INGRESS, List.of(ingress), OutputFormat.TABLE, false));

        ObjectNode endpoints = json("""
            {'kind':'Endpoints','metadata':{'name':'web','creationTimestamp':'2024-01-01T11:00:00Z'},
             'subsets':[{'addresses':[{'ip':'10.0.0.1'},{'ip':'10.0.0.2'},{'ip':'10.0.0.3'},{'ip':'10.0.0.4'}],'ports':[{'port':80}]}]}""");
        ObjectNode empty = json("{'kind':'Endpoints','metadata':{'name':'db','creationTimestamp':'2024-01-01T11:00:00Z'}}");
        assertEquals("""
                NAME   ENDPOINTS                                         AGE
                web    10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...   60m
                db     <none>                                            60m
                """, print(Kind.ENDPOINTS, List.of(endpoints, empty), OutputFormat.TABLE, false));

        ObjectNode account = json("""
            {'kind':'ServiceAccount','metadata':{'name':'backend','creationTimestamp':'2024-01-01T11:00:00Z'},
             'secrets':[{'name':'backend-token'}]}""");
        assertEquals("NAME      SECRETS   AGE\nbackend   1         60m\n",
                print(Kind.SERVICE_ACCOUNT, List.of(account), OutputFormat.TABLE, false));

        ObjectNode db = json("""
            {'kind':'NetworkPolicy','metadata':{'name':'db','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'podSelector':{'matchLabels':{'tier':'data','app':'db'}}}}""");
        ObjectNode denyAll = json("""
            {'kind':'NetworkPolicy','metadata':{'name':'deny-all','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'podSelector':{}}}""");
        assertEquals("""
                NAME       POD-SELECTOR       AGE
                db         app=db,tier=data   60m
                deny-all   <none>             60m
                """, print(Kind.NETWORK_POLICY, List.of(db, denyAll), OutputFormat.TABLE, false));
    }

    @Test
    void hpaTargets() {
        ObjectNode v2 = json("""
            {'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'web','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':2,'maxReplicas':10,
                     'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]},
             'status':{'currentReplicas':3,'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':45}}}]}}""");
        ObjectNode v1 = json("""
            {'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'api','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'scaleTargetRef':{'kind':'Deployment','name':'api'},'minReplicas':1,'maxReplicas':5,'targetCPUUtilizationPercentage':70},
             'status':{'currentReplicas':1}}""");
        assertEquals("""
                NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE
                web    Deployment/web   cpu: 45%/70%         2         10        3          60m
                api    Deployment/api   cpu: <unknown>/70%   1         5         1          60m
                """,
                print(Kind.HORIZONTAL_POD_AUTOSCALER, List.of(v2, v1), OutputFormat.TABLE, false));
    }

    @Test
    void eventsSortedByLastTimestamp() {
        ObjectNode later = json("""
            {'kind':'Event','metadata':{'name':'web-1.b'},'type':'Normal','reason':'Started',
             'involvedObject':{'kind':'Pod','name':'web-1'},'message':'Started container web',
             'firstTimestamp':'2024-01-01T11:58:00Z','lastTimestamp':'2024-01-01T11:58:00Z','count':1}""");
        ObjectNode earlier = json("""
            {'kind':'Event','metadata':{'name':'web-1.a'},'type':'Normal','reason':'Scheduled',
             'involvedObject':{'kind':'Pod','name':'web-1'},'message':'Successfully assigned default/web-1 to node-1',
             'firstTimestamp':'2024-01-01T11:55:00Z','lastTimestamp':'2024-01-01T11:55:00Z'}""");
        assertEquals("""
                LAST SEEN   TYPE     REASON      OBJECT      MESSAGE
                5m          Normal   Scheduled   pod/web-1   Successfully assigned default/web-1 to node-1
                2m          Normal   Started     pod/web-1   Started container web
                """, print(Kind.EVENT, List.of(later, earlier), OutputFormat.TABLE, false));
    }

    @Test
    void names() {
        assertEquals("pod/web-1\npod/crash-1\n", print(Kind.POD, List.of(runningPod(), crashingPod()), OutputFormat.NAME, false));
        assertEquals("deployment.apps/web", ResourcePrinter.qualifiedName(Kind.DEPLOYMENT, "web"));
        assertEquals("replicaset.apps/x", ResourcePrinter.qualifiedName(Kind.REPLICA_SET, "x"));
        assertEquals("statefulset.apps/x", ResourcePrinter.qualifiedName(Kind.STATEFUL_SET, "x"));
        assertEquals("ingress.networking.k8s.io/x", ResourcePrinter.qualifiedName(Kind.INGRESS, "x"));
        assertEquals("horizontalpodautoscaler.autoscaling/x", ResourcePrinter.qualifiedName(Kind.HORIZONTAL_POD_AUTOSCALER, "x"));
        assertEquals("persistentvolumeclaim/x", ResourcePrinter.qualifiedName(Kind.PERSISTENT_VOLUME_CLAIM, "x"));
        assertEquals("endpoints/x", ResourcePrinter.qualifiedName(Kind.ENDPOINTS, "x"));
        assertEquals("service/x", ResourcePrinter.qualifiedName(Kind.SERVICE, "x"));
    }

    @Test
    void jsonListAndSingleObject() {
        ObjectNode cm = json("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'cfg'},'data':{'html':'<b>&</b>'},'binaryData':{}}");
        assertEquals("""
                {
                    "apiVersion": "v1",
                    "items": [
                        {
                            "apiVersion": "v1",
                            "kind": "ConfigMap",
                            "metadata": {
                                "name": "cfg"
                            },
                            "data": {
                                "html": "\\u003cb\\u003e\\u0026\\u003c/b\\u003e"
                            },
                            "binaryData": {}
                        }
                    ],
                    "kind": "List",
                    "metadata": {
                        "resourceVersion": ""
                    }
                }
                """, print(Kind.CONFIG_MAP, List.of(cm), OutputFormat.JSON, false));
        assertEquals("""
                {
                    "apiVersion": "v1",
                    "items": [],
                    "kind": "List",
                    "metadata": {
                        "resourceVersion": ""
                    }
                }
                """, print(Kind.POD, List.of(), OutputFormat.JSON, false));
        ObjectNode ns = json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'shop'}}");
        assertEquals("""
                {
                    "apiVersion": "v1",
                    "kind": "Namespace",
                    "metadata": {
                        "name": "shop"
                    }
                }
                """, capture(out -> ResourcePrinter.printObject(ns, OutputFormat.JSON, out, CLOCK)));
    }

    @Test
    void yamlSortsKeysAndQuotesLikeKubectl() {
        ObjectNode svc = json("""
            {'apiVersion':'v1','kind':'Service',
             'metadata':{'name':'web','namespace':'default','creationTimestamp':'2024-01-01T11:00:00Z',
                         'labels':{'app':'web','version':'1.0','enabled':'true'},
                         'annotations':{'note':'line one\\nline two\\n'}},
             'spec':{'selector':{'app':'web'},'ports':[{'port':80,'targetPort':'8080','protocol':'TCP','name':''}],'type':'ClusterIP'}}""");
        assertEquals("""
                apiVersion: v1
                kind: Service
                metadata:
                  annotations:
                    note: |
                      line one
                      line two
                  creationTimestamp: "2024-01-01T11:00:00Z"
                  labels:
                    app: web
                    enabled: "true"
                    version: "1.0"
                  name: web
                  namespace: default
                spec:
                  ports:
                  - name: ""
                    port: 80
                    protocol: TCP
                    targetPort: "8080"
                  selector:
                    app: web
                  type: ClusterIP
                """, capture(out -> ResourcePrinter.printObject(svc, OutputFormat.YAML, out, CLOCK)));
        ObjectNode ns = json("{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'shop'}}");
        assertEquals("""
                apiVersion: v1
                items:
                - apiVersion: v1
                  kind: Namespace
                  metadata:
                    name: shop
                kind: List
                metadata:
                  resourceVersion: ""
                """, print(Kind.NAMESPACE, List.of(ns), OutputFormat.YAML, false));
    }

    @Test
    void getAllPrintsOneTablePerKindWithQualifiedNames() {
        ObjectNode svc = json("""
            {'kind':'Service','metadata':{'name':'web','namespace':'default','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{'clusterIP':'10.96.0.20','ports':[{'port':80}]}}""");
        ObjectNode deploy = deployment("web", 3, 3, 3, 3, "2024-01-01T11:00:00Z");
        String text = capture(out -> ResourcePrinter.printMixed(List.of(runningPod(), svc, deploy), OutputFormat.TABLE, false, out, CLOCK));
        assertEquals("""
                NAME        READY   STATUS    RESTARTS   AGE
                pod/web-1   1/1     Running   0          5m

                NAME          TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
                service/web   ClusterIP   10.96.0.20   <none>        80/TCP    60m

                NAME                  READY   UP-TO-DATE   AVAILABLE   AGE
                deployment.apps/web   3/3     3            3           60m
                """, text);
    }

    @Test
    void outputFormatsAndEmptyMessages() {
        assertEquals(OutputFormat.TABLE, OutputFormat.parse(null));
        assertEquals(OutputFormat.WIDE, OutputFormat.parse("wide"));
        assertEquals(OutputFormat.YAML, OutputFormat.parse("yaml"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OutputFormat.parse("xml"));
        assertEquals("error: unable to match a printer suitable for the output format \"xml\", allowed formats are: json,name,wide,yaml",
                e.getMessage());
        assertEquals("No resources found in default namespace.", ResourcePrinter.noResourcesFound(Kind.POD, "default", false));
        assertEquals("No resources found", ResourcePrinter.noResourcesFound(Kind.POD, "default", true));
        assertEquals("No resources found", ResourcePrinter.noResourcesFound(Kind.NODE, "default", false));
        assertEquals("", print(Kind.POD, List.of(), OutputFormat.TABLE, false));
    }

    static ObjectNode job(String name, String spec, String status) {
        return json("""
            {'kind':'Job','apiVersion':'batch/v1','metadata':{'name':'%s','namespace':'default','creationTimestamp':'2024-01-01T11:00:00Z'},
             'spec':{%s'selector':{'matchLabels':{'batch.kubernetes.io/controller-uid':'u-1'}},
              'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'pi','image':'perl:5.34'}]}}},
             'status':{%s}}""".formatted(name, spec, status));
    }

    static final List<ObjectNode> JOBS = List.of(
            job("done", "'completions':3,'parallelism':2,", """
                    'startTime':'2024-01-01T11:00:00Z','completionTime':'2024-01-01T11:01:30Z','succeeded':3,
                    'conditions':[{'type':'Complete','status':'True'}]"""),
            job("busy", "'completions':5,'parallelism':2,", "'startTime':'2024-01-01T11:55:00Z','succeeded':1,'active':2"),
            job("broke", "'completions':1,'parallelism':1,", """
                    'startTime':'2024-01-01T11:00:00Z','failed':7,
                    'conditions':[{'type':'Failed','status':'True','reason':'BackoffLimitExceeded'}]"""),
            job("held", "'completions':1,'parallelism':1,'suspend':true,", """
                    'conditions':[{'type':'Suspended','status':'True'}]"""),
            job("queue", "'parallelism':3,", "'startTime':'2024-01-01T11:59:20Z','active':3"));

    @Test
    void jobTable() {
        assertEquals("""
                NAME    STATUS      COMPLETIONS   DURATION   AGE
                done    Complete    3/3           90s        60m
                busy    Running     1/5           5m         60m
                broke   Failed      0/1           60m        60m
                held    Suspended   0/1                      60m
                queue   Running     0/1 of 3      40s        60m
                """, print(Kind.JOB, JOBS, OutputFormat.TABLE, false));
    }

    @Test
    void jobTableWide() {
        assertEquals("""
                NAME   STATUS     COMPLETIONS   DURATION   AGE   CONTAINERS   IMAGES      SELECTOR
                done   Complete   3/3           90s        60m   pi           perl:5.34   batch.kubernetes.io/controller-uid=u-1
                """, print(Kind.JOB, JOBS.subList(0, 1), OutputFormat.WIDE, false));
    }

    @Test
    void getAllListsJobsLast() {
        assertEquals(Kind.JOB, ResourcePrinter.ALL_KINDS.get(ResourcePrinter.ALL_KINDS.size() - 1));
        assertEquals("job.batch/x", ResourcePrinter.qualifiedName(Kind.JOB, "x"));
        assertEquals(java.util.Optional.of(Kind.JOB), Kind.byCliName("job"));
        assertEquals(java.util.Optional.of(Kind.JOB), Kind.byCliName("jobs"));
        assertEquals(List.of(), Kind.JOB.shortNames(), "kubectl has no short name for jobs");
    }
}
