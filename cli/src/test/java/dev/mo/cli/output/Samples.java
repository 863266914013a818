package dev.mo.cli.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mo.model.Json;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;

/** Sample objects, in the shape {@code kubectl get -o json} shows, and a fixed clock. */
final class Samples {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T12:00:00Z"), ZoneOffset.UTC);

    private Samples() {}

    /** Parses JSON written with single quotes, to keep the samples readable. */
    static ObjectNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    static String capture(Consumer<PrintWriter> print) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        print.accept(out);
        out.flush();
        return text.toString();
    }

    static ObjectNode runningPod() {
        return json("""
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'web-1','namespace':'default','creationTimestamp':'2024-01-01T11:55:00Z',
                         'labels':{'app':'web','pod-template-hash':'7d4b9c8f6d'},
                         'ownerReferences':[{'apiVersion':'apps/v1','kind':'ReplicaSet','name':'web-7d4b9c8f6d','uid':'u1','controller':true}]},
             'spec':{'nodeName':'node-1','serviceAccountName':'default',
                     'containers':[{'name':'web','image':'nginx:1.25','ports':[{'containerPort':80,'protocol':'TCP'}],
                                    'env':[{'name':'MODE','value':'prod'}]}]},
             'status':{'phase':'Running','hostIP':'192.168.1.10','podIP':'10.244.1.5','podIPs':[{'ip':'10.244.1.5'}],
                       'startTime':'2024-01-01T11:55:00Z',
                       'conditions':[{'type':'Initialized','status':'True'},{'type':'Ready','status':'True'},
                                     {'type':'ContainersReady','status':'True'},{'type':'PodScheduled','status':'True'}],
                       'containerStatuses':[{'name':'web','ready':true,'restartCount':0,'image':'nginx:1.25',
                                             'imageID':'docker-pullable://nginx@sha256:abc','containerID':'docker://1234',
                                             'state':{'running':{'startedAt':'2024-01-01T11:55:05Z'}}}]}}
            """);
    }

    static ObjectNode crashingPod() {
        return json("""
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'crash-1','namespace':'default','creationTimestamp':'2024-01-01T11:50:00Z'},
             'spec':{'nodeName':'node-2','containers':[{'name':'app','image':'busybox'}]},
             'status':{'phase':'Running','podIP':'10.244.2.7',
                       'containerStatuses':[{'name':'app','ready':false,'restartCount':4,
                          'state':{'waiting':{'reason':'CrashLoopBackOff','message':'back-off 1m20s'}},
                          'lastState':{'terminated':{'exitCode':1,'reason':'Error',
                             'startedAt':'2024-01-01T11:59:20Z','finishedAt':'2024-01-01T11:59:25Z'}}}]}}
            """);
    }

    static ObjectNode terminatingPod() {
        return json("""
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'old-1','namespace':'default','creationTimestamp':'2024-01-01T08:55:00Z',
                         'deletionTimestamp':'2024-01-01T11:59:50Z'},
             'spec':{'nodeName':'node-1','containers':[{'name':'web','image':'nginx:1.24'}]},
             'status':{'phase':'Running','podIP':'10.244.1.4',
                       'containerStatuses':[{'name':'web','ready':true,'restartCount':0,
                          'state':{'running':{'startedAt':'2024-01-01T08:55:10Z'}}}]}}
            """);
    }

    static ObjectNode creatingPod() {
        return json("""
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'new-1','namespace':'shop','creationTimestamp':'2024-01-01T11:59:15Z'},
             'spec':{'containers':[{'name':'web','image':'nginx:1.25'}]},
             'status':{'phase':'Pending',
                       'containerStatuses':[{'name':'web','ready':false,'restartCount':0,
                          'state':{'waiting':{'reason':'ContainerCreating'}}}]}}
            """);
    }

    static ObjectNode deployment(String name, int replicas, int ready, int updated, int available, String created) {
        return json("""
            {'apiVersion':'apps/v1','kind':'Deployment',
             'metadata':{'name':'%s','namespace':'default','creationTimestamp':'%s','labels':{'app':'%s'},
                         'annotations':{'deployment.kubernetes.io/revision':'1'}},
             'spec':{'replicas':%d,'selector':{'matchLabels':{'app':'%s'}},
                     'template':{'metadata':{'labels':{'app':'%s'}},
                                 'spec':{'containers':[{'name':'%s','image':'nginx:1.25','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}},
             'status':{'replicas':%d,'readyReplicas':%d,'updatedReplicas':%d,'availableReplicas':%d,
                       'conditions':[{'type':'Available','status':'True','reason':'MinimumReplicasAvailable'},
                                     {'type':'Progressing','status':'True','reason':'NewReplicaSetAvailable'}]}}
            """.formatted(name, created, name, replicas, name, name, name, replicas, ready, updated, available));
    }

    static ObjectNode statefulSet() {
        return json("""
            {'apiVersion':'apps/v1','kind':'StatefulSet',
             'metadata':{'name':'db','namespace':'default','uid':'sts-1','creationTimestamp':'2023-12-31T12:00:00Z','labels':{'app':'db'}},
             'spec':{'replicas':3,'serviceName':'db','selector':{'matchLabels':{'app':'db'}},
                     'updateStrategy':{'type':'RollingUpdate','rollingUpdate':{'partition':2}},
                     'template':{'metadata':{'labels':{'app':'db'}},
                                 'spec':{'containers':[{'name':'postgres','image':'postgres:16',
                                         'volumeMounts':[{'name':'data','mountPath':'/var/lib/postgresql/data'}]}]}},
                     'volumeClaimTemplates':[{'metadata':{'name':'data','labels':{'tier':'storage'}},
                        'spec':{'storageClassName':'standard','accessModes':['ReadWriteOnce'],
                                'resources':{'requests':{'storage':'1Gi'}}}}]},
             'status':{'replicas':3,'readyReplicas':2}}
            """);
    }

    static ObjectNode podWithPhase(String name, String phase) {
        return json("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'%s','namespace':'default'},'status':{'phase':'%s'}}"
                .formatted(name, phase));
    }

    static ObjectNode autoscaler() {
        return json("""
            {'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler',
             'metadata':{'name':'web','namespace':'default','creationTimestamp':'2024-01-01T10:00:00Z'},
             'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':'Deployment','name':'web'},'minReplicas':2,'maxReplicas':5,
                     'metrics':[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':70}}}]},
             'status':{'currentReplicas':2,'desiredReplicas':2,
                       'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':{'averageUtilization':12,'averageValue':'6m'}}}],
                       'conditions':[
                         {'type':'AbleToScale','status':'True','reason':'ReadyForNewScale','message':'recommended size matches current size'},
                         {'type':'ScalingActive','status':'True','reason':'ValidMetricFound',
                          'message':'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)'}]}}
            """);
    }

    static ObjectNode ingress() {
        return json("""
            {'apiVersion':'networking.k8s.io/v1','kind':'Ingress',
             'metadata':{'name':'shop','namespace':'default','annotations':{'nginx.ingress.kubernetes.io/rewrite-target':'/'}},
             'spec':{'rules':[
                 {'host':'shop.example.com','http':{'paths':[
                    {'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}},
                    {'path':'/api','pathType':'Prefix','backend':{'service':{'name':'api','port':{'name':'http'}}}}]}},
                 {'http':{'paths':[{'path':'/','pathType':'Prefix','backend':{'service':{'name':'web','port':{'number':80}}}}]}}]},
             'status':{'loadBalancer':{'ingress':[{'ip':'192.168.1.10'}]}}}
            """);
    }

    static ObjectNode webService() {
        return json("""
            {'apiVersion':'v1','kind':'Service','metadata':{'name':'web','namespace':'default'},
             'spec':{'selector':{'app':'web'},'ports':[{'name':'http','port':80,'targetPort':8080,'protocol':'TCP'},
                                                      {'name':'metrics','port':9090,'protocol':'TCP'}]}}
            """);
    }

    static ObjectNode webEndpoints() {
        return json("""
            {'apiVersion':'v1','kind':'Endpoints','metadata':{'name':'web','namespace':'default'},
             'subsets':[{'addresses':[{'ip':'10.244.1.5'},{'ip':'10.244.2.6'}],
                         'ports':[{'name':'http','port':8080,'protocol':'TCP'},{'name':'metrics','port':9090,'protocol':'TCP'}]}]}
            """);
    }
}
