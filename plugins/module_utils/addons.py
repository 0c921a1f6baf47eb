# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Facts per add-on release: the upstream files (URL at a tag or commit and the sha256 of what
that URL serves), the order they are applied in, the Kubernetes releases the version works with
(``supported``; outside it the add-on is refused) and those upstream tests (``tested``; outside
it a warning), the images its manifests pull, and retirement notes. Also the API versions each
Kubernetes release stopped serving, to refuse manifests that use them.

flannel v0.28.9 and v0.28.10: upstream installs a kustomize-built release asset that is not in git, so no
checksum can be pinned for it; the table pins the git copy at the tag (Documentation/
kube-flannel.yml) instead. The two differ in the DaemonSet selector (the asset adds
``k8s-app: flannel``), which is immutable: a cluster installed from the asset cannot be switched
to this file in place (delete the DaemonSet first).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.helmsman.kubeadm.plugins.module_utils import kube_versions

RAW = "https://raw.githubusercontent.com/"

# kube-prometheus' files (path under manifests/, sha256), setup/ first as upstream applies them.
# release-0.4 is a branch, not a tag: it is pinned at its head commit, which the runbook cloned.
KP_04_COMMIT = "eeb5ed7b62e45c540756eea76626d76a6ad725fc"
_KP_04_FILES = (
    ("setup/0namespace-namespace.yaml", "8d1ab1f117e5da9a9a48cf3e7d437fbdf4f856188e15ec51287cb4fa0b0f3962"),
    ("setup/prometheus-operator-0alertmanagerCustomResourceDefinition.yaml", "963939bcf0a84a8d9559891a55a539577112b27bbf5a328fb52a35162f9bb73e"),
    ("setup/prometheus-operator-0podmonitorCustomResourceDefinition.yaml", "0d73c71cf2189e541a3e0fd896bed3d25d81e0991136abe9c9a76a443d927e39"),
    ("setup/prometheus-operator-0prometheusCustomResourceDefinition.yaml", "3ae437919bd1f00da7815f3bb596f4a149d548c6d42dc81b159c6267cb780743"),
    ("setup/prometheus-operator-0prometheusruleCustomResourceDefinition.yaml", "a43acc655617a85cb0919f554c09955d6e561570138373707d84f2f4457f9419"),
    ("setup/prometheus-operator-0servicemonitorCustomResourceDefinition.yaml", "dc0c2ac1c7fc511386f550ce7034afc88923cf651a8eb01dfb480fdfdbdb2817"),
    ("setup/prometheus-operator-clusterRole.yaml", "294cf7debe40f63ca49846c2a4ed9c954ab2bca76e8bc96f8776f63b02d55dd0"),
    ("setup/prometheus-operator-clusterRoleBinding.yaml", "5114829237a6e6228831a25b2c8718877d8bbf58e2c56bf5ba61ebf607962c84"),
    ("setup/prometheus-operator-deployment.yaml", "6496447b886d7ec61829d6498a991fa7ecb0d6826e433c625bf746e4f0df7da3"),
    ("setup/prometheus-operator-service.yaml", "b01fcc63690089fd46a9db80e185716c09e1dbedcefe04c49ff7b582e266e549"),
    ("setup/prometheus-operator-serviceAccount.yaml", "cbdc86da124b72887fa9bba757ba388ae9f44e40afcbb4761fe1ae7821a83ec9"),
    ("alertmanager-alertmanager.yaml", "42e1d807bcfd900ba05490f720a9080f25bc0435b22488ca8a15fb704661c9ee"),
    ("alertmanager-secret.yaml", "609cfa51947a82924fcd85b2f2e2dcf903f91b5bdd8248b6f4d4e07bcbc3dce6"),
    ("alertmanager-service.yaml", "e1caaec71f5b8634416cf8ca70e2220cdbc23442e27451def01986a091a745e9"),
    ("alertmanager-serviceAccount.yaml", "1b69f08f120b1e9812cc7fe6721c539589ee7c71b5c344fe3454167895b336bd"),
    ("alertmanager-serviceMonitor.yaml", "4532467f15891aa8bbe6038218acd517da672df70f4199256106d289c3b6db2b"),
    ("grafana-dashboardDatasources.yaml", "2beb4d19d308b55a22061f2b1bbe7b9d9fa963bbbcbd5d51d6e6e60d90c52368"),
    ("grafana-dashboardDefinitions.yaml", "501d434af22f10544a51376da9ec17e10b76c386091ae4b1399f518d6afc6e48"),
    ("grafana-dashboardSources.yaml", "9e81fa7ce7ffaf32f5adcd86747e5743113735304f8a691aebf91fbc77a7ae9e"),
    ("grafana-deployment.yaml", "86e1de878c42a6ce39b5e5312b1a6d83e05a972b8fe77fdaa8ee9bee09bacc45"),
    ("grafana-service.yaml", "a4fe00161020b9c8eef81a7c803b1cd962543d18cab54e676ba58cdcb6de23f6"),
    ("grafana-serviceAccount.yaml", "e9ab84a5af6bde6d51044283551eb482edc10bcc7fe50156b5c565cb470ef24e"),
    ("grafana-serviceMonitor.yaml", "d50ee47d537255147e393e86cb897022efe4aed120f62025977ec568fe5f7437"),
    ("kube-state-metrics-clusterRole.yaml", "59a84a397b4a5a863bb78a84d927fd0bab03416bcec89a8d346c86ad197d3e32"),
    ("kube-state-metrics-clusterRoleBinding.yaml", "ad7199b3d6851717753dbaa7fa55bc4ca737ccba3d4f442b46d211fd4b6705ef"),
    ("kube-state-metrics-deployment.yaml", "903f6ba3f64c8b17eec636dac308b39609fac01d490e113869cd34e9614f2361"),
    ("kube-state-metrics-role.yaml", "703cb540381876bf1c09ae7821548cc0e49886da1459c9072b3c2fca4bf0d312"),
    ("kube-state-metrics-roleBinding.yaml", "c9a96ed6df0ca748f6533ea45c4fde1847ef49c8d379d89ab20167f8423db3ea"),
    ("kube-state-metrics-service.yaml", "db61e39029ad424846762f5c2b06310e83a89cbe854dc8d843c37502bb8d3168"),
    ("kube-state-metrics-serviceAccount.yaml", "8e6ba0f3e4d7a46160e8c7c1841a24b27e626743b4a453a0afc8ae72255e81d4"),
    ("kube-state-metrics-serviceMonitor.yaml", "8a18eb2e28a99ce85ee24dccb7fe2a2ab0dd6c4acdb3b5f936b4380888605036"),
    ("node-exporter-clusterRole.yaml", "c8a05e5984afe97e8e9c9c3bf81b3b0349085e371a85df8296a5d66fec88b7f5"),
    ("node-exporter-clusterRoleBinding.yaml", "60bac275ad3e6c56aab5ca04822657af6b2f3c1ee6e637e93b36fb0e11759bc4"),
    ("node-exporter-daemonset.yaml", "6a4f92a16b2c2b6a82e0a1bee009a5fcae7ad3a7a8b47f89277a1bfd387b7348"),
    ("node-exporter-service.yaml", "efa99d08cb6324e82929dba99f9432db139e223addd498275ebd80b4ec44f4f8"),
    ("node-exporter-serviceAccount.yaml", "5fe4f99c27bd201a4a5c9c25abe225dc4a680fdb37dfdfab04d4a138fd1195aa"),
    ("node-exporter-serviceMonitor.yaml", "ddd393ff47517be835c1f70126ae22092ec2b088711a1d9570036398ee443a9a"),
    ("prometheus-adapter-apiService.yaml", "205363ae4d74b9422e0cdb194ff65eac636b0f723591203271e2d535fc063b26"),
    ("prometheus-adapter-clusterRole.yaml", "d31b8734b8c6d65f53f25712f3504c06eaad893949923d0d70a5688d43dbdd4e"),
    ("prometheus-adapter-clusterRoleAggregatedMetricsReader.yaml", "bbb3f43545275513668132c27c56bbae3302ac68f3c8cd0114bbe462de9df06e"),
    ("prometheus-adapter-clusterRoleBinding.yaml", "11083cee0f293a8a9a62640931be43d859ac8a0dabebe7d2096d1da50266d157"),
    ("prometheus-adapter-clusterRoleBindingDelegator.yaml", "18ca59b6ea5ef8c063dc3f5b47a66c36a019145d04710b6f03151d2a0fdf7ebf"),
    ("prometheus-adapter-clusterRoleServerResources.yaml", "0acf02e05e9cd3473e96b8ec2d3ce081ae3d721e039aadff8063ff642c3adc2d"),
    ("prometheus-adapter-configMap.yaml", "d0a1b92c3cd57e78bfc696160a547c5471cc2ecb286b1eb926c03512aa6839ec"),
    ("prometheus-adapter-deployment.yaml", "c31f4cd62b6c4a444c7e917e0cf683caa1477dd30ef6fb9f434621129392d605"),
    ("prometheus-adapter-roleBindingAuthReader.yaml", "3c07a8a0f0c90fa544509006e6a6f34cac3d6d17c705be244381d468ff5e21a4"),
    ("prometheus-adapter-service.yaml", "bf5d9496d17a7ebbf7d4d6e3575fb089c8b29b6c979f1a0c58ecd22de0836e32"),
    ("prometheus-adapter-serviceAccount.yaml", "075729cc26f32dfcf13a6dfb649c25c1d8b22b8f21d1ed2cd9056d774a929b21"),
    ("prometheus-clusterRole.yaml", "9061b850089dab5f8ce41c304eb5b5bce1e81ced07038762d2d757929f36bd61"),
    ("prometheus-clusterRoleBinding.yaml", "6ca2c170278c4d358dfe2315c9a40968d5df754f1ad1d8a731017054be767c0c"),
    ("prometheus-operator-serviceMonitor.yaml", "3c8a0544fc416582c3abe4be92892f621ca8ea23d580be016e9a4ac27c31aa3b"),
    ("prometheus-prometheus.yaml", "d4af42a49e80d35a196b617d1d1c06c78a651fa2dbef63b58652c4a01ed2ab51"),
    ("prometheus-roleBindingConfig.yaml", "3a26c84c267177a4d41980043b79f36eca43e9c52d95fbf1edef24af396a7935"),
    ("prometheus-roleBindingSpecificNamespaces.yaml", "53622ed2b6f74d903ddb9256362ed390c6d65a153d75dea90a636b25a264c105"),
    ("prometheus-roleConfig.yaml", "7ca94d84310c87ace20bb764a79f5dbc7f1cea5dc79ddaba354af3e2608ae779"),
    ("prometheus-roleSpecificNamespaces.yaml", "966f563dae8296d0cc36ee03ebb5cf2848063463f290c4c3539948a7b170f4fb"),
    ("prometheus-rules.yaml", "3805a031f5eed79f098902f51b8e2268a4f87a6ed65acb57c9ddb6685e4b20f2"),
    ("prometheus-service.yaml", "966b0d7a022d98d4750e6509b84c0654b9b753a8332f5e9f96ea2402ba72ff62"),
    ("prometheus-serviceAccount.yaml", "9782409dc83588e479f8c44290b36c70b76ec7fe5c89cbdb2d4c09bf7e08db6d"),
    ("prometheus-serviceMonitor.yaml", "15e6cf0fdaa1bbf001ee1c91404347e51f42e9824010ba2c69b7d6c0f62db62b"),
    ("prometheus-serviceMonitorApiserver.yaml", "798c311d4cb92fabdc87dafd4db1a2c95c08d31c557b1df6ff19749a918c3348"),
    ("prometheus-serviceMonitorCoreDNS.yaml", "43793276fe3c9e9a4a28023d3f76b50d81ffc2c6e00ff1c7260dbcdbb8523bef"),
    ("prometheus-serviceMonitorKubeControllerManager.yaml", "fd41593bcae5de662264c6a0826b3539f7dc8b78dc726367e1f241f524e55318"),
    ("prometheus-serviceMonitorKubeScheduler.yaml", "9c5cbee056390f0e60247a5f54bd00d0ae9df8167d99d18dfb881d5856ab1e68"),
    ("prometheus-serviceMonitorKubelet.yaml", "c6e68c222406fd3fd7ca2004ca7254b1049c0f5cd2547f79d3dad51bc69c15ea"),
)
_KP_018_FILES = (
    ("setup/0alertmanagerConfigCustomResourceDefinition.yaml", "d7c203e0e2fc6b00736a95637f39ae7df1873aebbf48a03d9e18f5a4b6d020b1"),
    ("setup/0alertmanagerCustomResourceDefinition.yaml", "fda6edbff1621451af5538624cc73c376f4ad2e4c772a246356355b4e185b76c"),
    ("setup/0podmonitorCustomResourceDefinition.yaml", "8b11480268f6bde4413b4e7329859bdd6c78b20f5916dac0d388566920d5fe39"),
    ("setup/0probeCustomResourceDefinition.yaml", "283b380763a68474405f874c12532190e2ec9474226b40474dbd9b00730a24a8"),
    ("setup/0prometheusCustomResourceDefinition.yaml", "f6a6df3da95574cb2ca9bdf63f0a4fcae4ace73dfbf20f60b9bb71639dbd67b0"),
    ("setup/0prometheusagentCustomResourceDefinition.yaml", "5b992e30a7bc377e35c761a68e5092ce8a29f1b8cdeaf0c2d69b1c4f6e5794ce"),
    ("setup/0prometheusruleCustomResourceDefinition.yaml", "f415488dee5197944ef9dd66b31ca2adeb23a1026f82b85a85748df5191fc70b"),
    ("setup/0scrapeconfigCustomResourceDefinition.yaml", "8c6ea4f7925fcb0b360d1fb3517c6b89bb480ba877f9eb9200dd1e6d125bd82f"),
    ("setup/0servicemonitorCustomResourceDefinition.yaml", "7de62ca93f40120970cc2d6a429da2f2e0a7129a14b31f2a7c507d2190771661"),
    ("setup/0thanosrulerCustomResourceDefinition.yaml", "fb41ee70a22d39c902a50523d9d32f4d4dfd7fee0ccfebdf5f2221eabfe23232"),
    ("setup/namespace.yaml", "b1203a107dad0d01d2024178b2006f0d3bad911202d1fe0e9474ec822066ac7f"),
    ("alertmanager-alertmanager.yaml", "0e32a2ed56f7458601508488c0a59a7bb93c68ee6fcf3d6a61110f5625fd2979"),
    ("alertmanager-networkPolicy.yaml", "d3af9fd037250a679f81f66e145052d6788adb5d1b67854ca2020e633d993ce4"),
    ("alertmanager-podDisruptionBudget.yaml", "89cec96cb303a464115f7779df95079b6d38ac82821a071b9e74142d426e0a0f"),
    ("alertmanager-prometheusRule.yaml", "9b1baef5d106e0898f90c3904f9b24b872990f6a8f6368e3408547aec70bebaf"),
    ("alertmanager-secret.yaml", "a667ff3ec9849d9f0c81a65797a0cc615700e92bd68bd0d19f16e4df26bd88e3"),
    ("alertmanager-service.yaml", "07baec32eda9aff77d53a19ed7824b9f720208d869fd6f001b9aaee8c889bcb4"),
    ("alertmanager-serviceAccount.yaml", "6c76dbd005fe0c8b38467aa32a78ad3322fb4ceae892b4a560bc240fb4256da7"),
    ("alertmanager-serviceMonitor.yaml", "c461a4b08374ed80a4645b1e73c41a3ce7e0dc618ddd0beeaee4e295de02ac8b"),
    ("blackboxExporter-clusterRole.yaml", "915cc30c89c0073aba5cccf14ad50b14f1a94e5da641fcaece0af3c6e35ab7e3"),
    ("blackboxExporter-clusterRoleBinding.yaml", "192a70b9746511881e51cee182b28ece00044a80d42e63a991992073c260a781"),
    ("blackboxExporter-configuration.yaml", "30164c80310d8fb0f8e1ff982600457e9f3725e1e39d61cbc24bf371269f8de5"),
    ("blackboxExporter-deployment.yaml", "4ea60927c92de1e582f2422f0ef5fd490ad12818017ac94facddc8af82a95a11"),
    ("blackboxExporter-networkPolicy.yaml", "1faf65b9969d11dc3a1eda0a8e8e780bc845991892f42f0cb6a9010e636fddae"),
    ("blackboxExporter-service.yaml", "0166d6baea1cfe2be4464a5ac82f676fd76e0ba2c894fb1fea5f9ed679af9fe5"),
    ("blackboxExporter-serviceAccount.yaml", "33449b01e6abcc9c1c8bd659516c12aa003f2df4c9fa585c421e58f27614bf2c"),
    ("blackboxExporter-serviceMonitor.yaml", "e07a9f14a8ade03b0ce9bf5feec76584131141651c7de1c2e24ae513795bb889"),
    ("grafana-config.yaml", "f07e5a7d8a4703cccf387a2a8d9ae1aaf33963d82480496dc9445de4065efe51"),
    ("grafana-dashboardDatasources.yaml", "f84503bf0c73c103170b340a725af224a8dd76e16832f8fe9211a868088b12bc"),
    ("grafana-dashboardDefinitions.yaml", "b4492fa3ca625efc360d568b7a387634490a1109090f970320c2528d6f4f28fe"),
    ("grafana-dashboardSources.yaml", "3f3ec66a2ab47d975bbdbd69db31ec35273d465a733878cdcb2babed8f75ff38"),
    ("grafana-deployment.yaml", "755b64591ac079441563c7f8808c5299d06875d320a1288576590e635979276d"),
    ("grafana-networkPolicy.yaml", "b363735c6a39e4561f18f5bca5fcc4878e7d1cc64dff2e8592e05a0b8b331595"),
    ("grafana-prometheusRule.yaml", "3c0f8c0b009d86a3a802eeb00e92659a658b458b7858b85b7838faf0c0824d23"),
    ("grafana-service.yaml", "b265328320860125a66a226de71e7c1e08e3b03aed069daa40ab5b8d87871650"),
    ("grafana-serviceAccount.yaml", "c73872487c2b5ec28c306a58dd8c519107ce9e2edab31bf2ccc0c4bdc98657bf"),
    ("grafana-serviceMonitor.yaml", "11e03c3ee44ba986226fbdc1d7eb550eff88c89920f7fd77574af106cb742cb9"),
    ("kubePrometheus-prometheusRule.yaml", "5bf4529862bf908953a6331c926d9a21435a69b0946187bbf40fcb17e62231c6"),
    ("kubeStateMetrics-clusterRole.yaml", "1c98679658682d6b8e1a1965ca7bb6224260742aa9ef150db65c7cb308eaff67"),
    ("kubeStateMetrics-clusterRoleBinding.yaml", "4c5c9b58147cf953a1092a950b355db8b6b7b31c02229b6b22c8751a529e8fe8"),
    ("kubeStateMetrics-deployment.yaml", "4019e3beab58ad783348b0bd8f69551cfc6d2ce11726ef34c6b00b8b88df0dbe"),
    ("kubeStateMetrics-networkPolicy.yaml", "03382746c5bd3a9b7e4dde27a37e57c2a7da0b4800d3641cdf5b2c5c69067a0c"),
    ("kubeStateMetrics-prometheusRule.yaml", "7f1526179e411329db33d5644d1672f93f1f942895f8f738e244e6b8533ec144"),
    ("kubeStateMetrics-service.yaml", "feb4f5fa80710a34ed069de091ac4073e56ac04f07693c1325b83332a9b291aa"),
    ("kubeStateMetrics-serviceAccount.yaml", "2502e898bed1ee62fd4af4107d65355126213b14ad36d19ac861d898a760c513"),
    ("kubeStateMetrics-serviceMonitor.yaml", "15e26fd7028b435be81c89a1f01680b659bc01aceeae21e1fcef192a6ece5356"),
    ("kubernetesControlPlane-prometheusRule.yaml", "285016751ea25328d5130b6b2b78d422ecd76281025731ad5c52391d00361e88"),
    ("kubernetesControlPlane-serviceMonitorApiserver.yaml", "c9da3b711903f70d386a8c6adad5cbead1f56987ed1f203f1ee71579b435980c"),
    ("kubernetesControlPlane-serviceMonitorCoreDNS.yaml", "a4c9f4d7ca3298c04c73ab105f03fb5422c05cd37fa072373170abf4b8640450"),
    ("kubernetesControlPlane-serviceMonitorKubeControllerManager.yaml", "95dee25218a9886e938861de05a51dd56310f0871d891f6bf7ce8517644491b2"),
    ("kubernetesControlPlane-serviceMonitorKubeScheduler.yaml", "3e00fc58c019976b063814f3152f20fe09a0dbe2b635a4d737044a14bf0e12e2"),
    ("kubernetesControlPlane-serviceMonitorKubelet.yaml", "d5df62f38aee95e064f0c07a55b72e5e60f454a6b59a857117fec40b7d55cc76"),
    ("nodeExporter-clusterRole.yaml", "982afa5f5c73330d39b5241e90b025549c601a952909424a8be0ab8dd8f3ad52"),
    ("nodeExporter-clusterRoleBinding.yaml", "185b2f61f37a0f3d0da6088a25c31d7fb83533eaab0a991d1e45711654546532"),
    ("nodeExporter-daemonset.yaml", "3be7db37660cc5b6205d749240842866d5605343fb58a2178c29ced15b829776"),
    ("nodeExporter-networkPolicy.yaml", "8b7ffd65827ccaf71cf8133cebfdc997f23ccdd4454986acdba8d3e5a8626f5b"),
    ("nodeExporter-prometheusRule.yaml", "5822dd3127cb2fcd51d79295a9d548e950aae93ec6a9708853ececfad4d841f2"),
    ("nodeExporter-service.yaml", "b02d68dac362aa748a3402c111a9ea0e51517cae8de5805dbacc1314449e536d"),
    ("nodeExporter-serviceAccount.yaml", "6e8c02c40a8e26b239940eb64e747410936f20b409daae10ed58b4dfb34a9249"),
    ("nodeExporter-serviceMonitor.yaml", "e7bffd05881c73dfae911166ea401e5ca91ad0884849a9247a8974428a6f18db"),
    ("prometheus-clusterRole.yaml", "c21b6a00e1caa114d029306babeff10f2eeb0fabc663f6ac37005ee62e8932bb"),
    ("prometheus-clusterRoleBinding.yaml", "a88a673ac17f56618a039e2ac47e7a1b038bd06af047436fda3f2ce077e0a328"),
    ("prometheus-networkPolicy.yaml", "81bbc7a12f9711750efc1c790557d8411b11009b78c328fd7df3ae8b63535a3a"),
    ("prometheus-podDisruptionBudget.yaml", "66c87c2b067962c2e01aac05d6429af9afee7e7a14fb0946c5eb4370f6c0c681"),
    ("prometheus-prometheus.yaml", "661c1e86d16de5be239870e17a53e2629a957f5a70645d6ca0ff75ee8ec41c09"),
    ("prometheus-prometheusRule.yaml", "fa545d1f7ee18b323a897a988b3ed54df8f52f4eef5a1634b598cf6c7120502f"),
    ("prometheus-roleBindingConfig.yaml", "e645ac8489f730d87dae30217a4949ef688f49e05e504d212b0f3e150f8d0d0b"),
    ("prometheus-roleBindingSpecificNamespaces.yaml", "85a4cab9e8e045fbe0ee7742cf090ab86468fd88dbde637e26fdcc6eb437dfb2"),
    ("prometheus-roleConfig.yaml", "47851a924b6f46e36cff37e86bd688a8b097bd1c5a24ffef79a790029711e3c3"),
    ("prometheus-roleSpecificNamespaces.yaml", "c4542cc9cbe0e840191cda9c3523b31195c5541bc9c1e5c8301e9136b95a3229"),
    ("prometheus-service.yaml", "3d646544c36240cfdb46a75348075ea4d1df9123532bdf093a8f8a02b2782d4d"),
    ("prometheus-serviceAccount.yaml", "38b15e52e58131f918fa1d68199bba90a680ee43ee3c35f3197b89db7e789166"),
    ("prometheus-serviceMonitor.yaml", "360014f28171a84b3506f50fb716cd33927496ac29bf4efa3dc055e174e05411"),
    ("prometheusAdapter-apiService.yaml", "e7092f74b283460de49d332956ee14dbe9633fbfbc5a791daa2d6857560511b6"),
    ("prometheusAdapter-clusterRole.yaml", "95cf612af3a11fd6b8e96ff822d6a25123ca824ac3f9e520dd20b580e35981e4"),
    ("prometheusAdapter-clusterRoleAggregatedMetricsReader.yaml", "47f032670df7f3cc9be17119dbbcad190a549974e2ee84f4b006b8cd6ad1b3bb"),
    ("prometheusAdapter-clusterRoleBinding.yaml", "91b7427f3d7140d630a9c4d15bc830fcc358b9009fd52cb215791b85832d4aa9"),
    ("prometheusAdapter-clusterRoleBindingDelegator.yaml", "70f1f08265a4e64433b2424d9be7626132634b09844c280772f9c0b0f0e1331e"),
    ("prometheusAdapter-clusterRoleServerResources.yaml", "babe806dc43c4ead9fbe2513cbcdadd6b654e27b4996a123ac56d9df52b283a9"),
    ("prometheusAdapter-configMap.yaml", "a929ba7c4857cdbaa53771a61a3ccfaa599b50eb09dced37c654f044b8e8460f"),
    ("prometheusAdapter-deployment.yaml", "ec7a29df16f18d131f636f4e9747fdfaa3bf6e7b5822aaa566cfabad349c75aa"),
    ("prometheusAdapter-networkPolicy.yaml", "306c69d7df933fd969716e3921f3c1e26ffbfec1b7e9b0a77314ff6423c167e7"),
    ("prometheusAdapter-podDisruptionBudget.yaml", "13723a06a4f5774761fc6966a1c0f662be3fbd39f1c1b4bf66b02fb8957ad047"),
    ("prometheusAdapter-roleBindingAuthReader.yaml", "445f272837df2e42ceef8c67474fe2d97b2ea5589699cb0a62c903083faf2f01"),
    ("prometheusAdapter-service.yaml", "635a67577cbe362d0af0df112dc64b95970456e268e8e3e65d45a97ebfa03bec"),
    ("prometheusAdapter-serviceAccount.yaml", "6134e89176aa931212209f00b35641fee5c74eba095422418d9aec81b44bf874"),
    ("prometheusAdapter-serviceMonitor.yaml", "04db8e9ffb14aed561a1cb4e21fe664acf70b60b8c5fb5e8c9932ed2d78b86f5"),
    ("prometheusOperator-clusterRole.yaml", "a1e64fa61e3319d80ee665cf38cfe2c1fa63540b78f59a1eb2d1e82459a41e19"),
    ("prometheusOperator-clusterRoleBinding.yaml", "4b605d8c19995747a50cbaf7145f7759b72c812f9f86040a368f4f99c1af216a"),
    ("prometheusOperator-deployment.yaml", "1ce298e2ee11d54e3dd6c3e4feae563f09c72e12eb4305ea56432bf9611b91fd"),
    ("prometheusOperator-networkPolicy.yaml", "76f81e41e6fc0ca41bdc02b4ab40a1d77fc86476168be636a6da851c5af5f717"),
    ("prometheusOperator-prometheusRule.yaml", "71e75d269449dd37fd8fb1c531fea7985b425cbff2221401e8a03b6839c27c37"),
    ("prometheusOperator-service.yaml", "dc9858433a31e24c7d701b848097a807659e34c44ab0bd2df8b4ee83070f71b9"),
    ("prometheusOperator-serviceAccount.yaml", "39d053792f1e88b45994b4ca91645102d078e3ee4aaa2dd47a437619bed9ccd4"),
    ("prometheusOperator-serviceMonitor.yaml", "517b47303c6ff3b26ad6423c95ddf8a442d93c7ff4a15c5cfea2b877453d168d"),
)


def _kube_prometheus_files(ref, files):
    return [{"name": name, "sha256": sha, "url": RAW + "prometheus-operator/kube-prometheus/%s/manifests/%s" % (ref, name)}
            for name, sha in files]


ADDONS = {
    "flannel": {
        "v0.12.0": {
            "released": "2020-03-12",
            "supported": (17, 21),  # rbac v1beta1 and PodSecurityPolicy
            "tested": (17, 21),
            "files": [
                {"name": "kube-flannel.yml", "sha256": "c5b33d9bdf5b9bdb1eb8aca3d565748694077ed23770008a79b3c248a34f2432",
                 "url": RAW + "flannel-io/flannel/v0.12.0/Documentation/kube-flannel.yml"},
            ],
            "images": ["quay.io/coreos/flannel:v0.12.0-%s" % arch for arch in ("amd64", "arm64", "arm", "ppc64le", "s390x")],
            "per_arch_daemonsets": True,
        },
        "v0.28.9": {
            "released": "2026-08-07",
            "supported": (17, None),
            "tested": (17, 36),
            "files": [
                {"name": "kube-flannel.yml", "sha256": "e875824be2f552b45711dbda91af81b17eb961d00025d914d9fef18fad8f09c0",
                 "url": RAW + "flannel-io/flannel/v0.28.9/Documentation/kube-flannel.yml"},
            ],
            "images": ["ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3", "ghcr.io/flannel-io/flannel:v0.28.9"],
        },
        "v0.28.10": {
            "released": "2026-10-08",
            "supported": (17, None),
            "tested": (17, 36),  # its e2e runs kindest/node:v1.36.1
            "files": [
                {"name": "kube-flannel.yml", "sha256": "944a3c1f925f117727a1b7272a323c80965da642498397ec7e6ea9bef0f9e6c5",
                 "url": RAW + "flannel-io/flannel/v0.28.10/Documentation/kube-flannel.yml"},
            ],
            "images": ["ghcr.io/flannel-io/flannel-cni-plugin:v1.9.1-flannel3", "ghcr.io/flannel-io/flannel:v0.28.10"],
        },
    },
    "ingress-nginx": {
        "0.30.0": {
            "released": "2020-02-24",
            "supported": (17, 21),  # rbac v1beta1
            "tested": (17, 17),
            "files": [
                {"name": "mandatory.yaml", "sha256": "11ebef783c9053339d073222b306a31168196551d678318528436c6007f55d63",
                 "url": RAW + "kubernetes/ingress-nginx/f1f90ef4954effb122412d9cd2d48e02063038a4/deploy/static/mandatory.yaml"},
                {"name": "service-nodeport.yaml",
                 "sha256": "fc652b7bbf8a5a806533f9fb556dc1782e0c183f4b64f51e45c3cdb97a766c18",
                 "url": RAW + "kubernetes/ingress-nginx/f1f90ef4954effb122412d9cd2d48e02063038a4/deploy/static/provider/"
                              "baremetal/service-nodeport.yaml"},
            ],
            "images": ["quay.io/kubernetes-ingress-controller/nginx-ingress-controller:0.30.0"],
        },
        "v1.15.1": {
            "released": "2026-03-19",
            "supported": (19, None),  # networking.k8s.io/v1 Ingress and IngressClass
            "tested": (31, 35),
            "files": [
                {"name": "deploy.yaml", "sha256": "16b9b62df45b8ed8f1ecaed0341d583b3360e4b63c41fe00413f6a1fa2f95bec",
                 "url": RAW + "kubernetes/ingress-nginx/controller-v1.15.1/deploy/static/provider/baremetal/deploy.yaml"},
            ],
            "images": [
                "registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:"
                "594ceea76b01c592858f803f9ff4d2cb40542cae2060410b2c95f75907d659e1",
                "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.9@sha256:"
                "01038e7de14b78d702d2849c3aad72fd25903c4765af63cf16aa3398f5d5f2dd",
            ],
            "retired": "ingress-nginx was retired upstream in March 2026: v1.15.1 is its last release and gets no "
                       "fixes, security fixes included; plan a move to a Gateway API implementation",
        },
    },
    "metrics-server": {
        "v0.3.6": {
            "released": "2019-10-14",
            "supported": (8, 21),  # rbac v1beta1 bindings, apiregistration v1beta1
            "tested": (8, 21),
            "files": [
                {"name": name, "sha256": sha, "url": RAW + "kubernetes-sigs/metrics-server/v0.3.6/deploy/1.8+/" + name}
                for name, sha in (
                    ("aggregated-metrics-reader.yaml", "63b058ebe88b8179b459777318be49b591fefe629d9258b10974aeed224b5530"),
                    ("auth-delegator.yaml", "2edfcc0541faf8962edbc9d4650571a165ba354631a79d6089c7cd44d43f4a51"),
                    ("auth-reader.yaml", "b8741ebac029d8b361843281e363e149edaa884739f7cf0450602e1413cfbb18"),
                    ("metrics-apiservice.yaml", "1da5c25e2942752e5097ccb99c72c4b3cc09f9d6f293f440e76b50eaae602ea7"),
                    ("metrics-server-deployment.yaml", "653ca40a9284330d51b3d6f34e1e5974a7527d912682952621728ebe2ef15f8d"),
                    ("metrics-server-service.yaml", "a1094393cb98af24b838dfe3c2dac8ede058cb0af4569fe9b23a807127da1130"),
                    ("resource-reader.yaml", "bc497d3288944f46ff890f8377b4c1f794796ef3e5a33935c0092d26587e36ea"),
                )
            ],
            "images": ["k8s.gcr.io/metrics-server-amd64:v0.3.6"],
            # The image's defaults: secure port 443, certificates written under the working
            # directory (the manifest mounts an emptyDir at /tmp for them).
            "args": ["--cert-dir=/tmp"],
        },
        "v0.9.0": {
            "released": "2026-07-13",
            "supported": (19, None),  # v1 APIs only; upstream's matrix lists 1.34 and later
            "tested": (34, 36),
            # The release asset components.yaml is built by kustomize and not in git, so no
            # checksum can be pinned for it: the git base at the tag is pinned instead, with what
            # the release overlay adds that matters to the API (the image in place of the base's
            # placeholder, the kube-system namespace where a base file leaves it out).
            "files": [
                {"name": name, "sha256": sha, "url": RAW + "kubernetes-sigs/metrics-server/v0.9.0/manifests/base/" + name}
                for name, sha in (
                    ("rbac.yaml", "510be174d47ae7d05ae6908ccb7ca7111008f18b5d1a920ebc6de6582c23b854"),
                    ("service.yaml", "1ce19a57f4769906255c3410a38a01fb0f803e21976ce160f506a90638cbb5c7"),
                    ("deployment.yaml", "18970227f17d0c6cb8e7a4a1cdde847117703afd3b0777badf8a006cfea252c2"),
                    ("apiservice.yaml", "03266df7891b56dfffebb855a031b524ed20c6736846417ccd491dd91c6c0ec3"),
                )
            ],
            "images": ["registry.k8s.io/metrics-server/metrics-server:v0.9.0"],
            "image_overrides": {"gcr.io/k8s-staging-metrics-server/metrics-server:master":
                                "registry.k8s.io/metrics-server/metrics-server:v0.9.0"},
            "namespace": "kube-system",
        },
    },
    "dashboard": {
        "v2.0.0": {
            "released": "2020-04-21",
            "supported": (17, 21),  # client-go 0.18
            "tested": (17, 18),
            "files": [
                {"name": "recommended.yaml", "sha256": "d8b96dfa27da511d5116fc3583281dd1da709c3c6e07b033e4f3424bc2ab64c8",
                 "url": RAW + "kubernetes/dashboard/v2.0.0/aio/deploy/recommended.yaml"},
            ],
            "images": ["docker.io/kubernetesui/dashboard:v2.0.0", "docker.io/kubernetesui/metrics-scraper:v1.0.4"],
            "retired": "the Kubernetes Dashboard was archived upstream in January 2026 and gets no fixes, security fixes "
                       "included; Headlamp (dashboard_ui: headlamp) is its recommended successor",
        },
        "v2.7.0": {
            "released": "2022-09-16",
            "supported": (19, None),
            "tested": (25, 25),
            "files": [
                {"name": "recommended.yaml", "sha256": "943ae40251f1ba64ef012c53271bf6766d1883dd024093e854567b56443764b8",
                 "url": RAW + "kubernetes/dashboard/v2.7.0/aio/deploy/recommended.yaml"},
            ],
            "images": ["docker.io/kubernetesui/dashboard:v2.7.0", "docker.io/kubernetesui/metrics-scraper:v1.0.8"],
            "retired": "the Kubernetes Dashboard was archived upstream in January 2026: v2.7.0 is its last manifest "
                       "release, targets Kubernetes 1.25 and gets no fixes, security fixes included; Headlamp "
                       "(dashboard_ui: headlamp) is its recommended successor",
        },
    },
    "headlamp": {
        "v0.45.0": {
            "released": "2026-08-21",
            "supported": (24, None),
            "tested": (36, 36),  # no matrix upstream; its backend is built with client-go 0.36
            "files": [
                {"name": "kubernetes-headlamp.yaml",
                 "sha256": "9a893b6ce1f14660f76c5d79848e64979944125406e762f76278143cd2b863a2",
                 "url": RAW + "kubernetes-sigs/headlamp/v0.45.0/kubernetes-headlamp.yaml"},
            ],
            "images": ["ghcr.io/headlamp-k8s/headlamp:v0.45.0"],
            # Upstream's plain manifest runs the floating :latest tag: pin it to the release.
            "image_overrides": {"ghcr.io/headlamp-k8s/headlamp:latest": "ghcr.io/headlamp-k8s/headlamp:v0.45.0"},
        },
    },
    "kube-prometheus": {
        "release-0.4": {
            "released": "2021-02-24",
            "supported": (16, 21),  # apiextensions v1beta1 CRDs; upstream's matrix lists 1.16 and 1.17
            "tested": (16, 17),
            "files": _kube_prometheus_files(KP_04_COMMIT, _KP_04_FILES),
            "images": [
                "quay.io/coreos/prometheus-operator:v0.35.1",
                "docker.io/jimmidyson/configmap-reload:v0.3.0",
                "quay.io/coreos/prometheus-config-reloader:v0.35.1",
                "docker.io/grafana/grafana:6.4.3",
                "quay.io/coreos/kube-rbac-proxy:v0.4.1",
                "quay.io/coreos/kube-state-metrics:v1.9.2",
                "quay.io/prometheus/node-exporter:v0.18.1",
                "quay.io/coreos/k8s-prometheus-adapter-amd64:v0.5.0",
                "quay.io/prometheus/prometheus:v2.11.0",
                "quay.io/prometheus/alertmanager:v0.18.0",
            ],
        },
        "v0.18.0": {
            "released": "2026-06-18",
            "supported": (33, None),  # upstream's matrix: 1.33 to 1.36, 1.32 not
            "tested": (33, 36),
            "files": _kube_prometheus_files("v0.18.0", _KP_018_FILES),
            "images": [
                "quay.io/prometheus-operator/prometheus-operator:v0.92.0",
                "quay.io/prometheus-operator/prometheus-config-reloader:v0.92.0",
                "quay.io/brancz/kube-rbac-proxy:v0.22.0",
                "docker.io/grafana/grafana:13.0.2",
                "registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.19.0",
                "quay.io/prometheus/node-exporter:v1.11.1",
                "quay.io/prometheus/blackbox-exporter:v0.28.0",
                "ghcr.io/jimmidyson/configmap-reload:v0.15.0",
                "registry.k8s.io/prometheus-adapter/prometheus-adapter:v0.12.0",
                "quay.io/prometheus/prometheus:v3.12.0",
                "quay.io/prometheus/alertmanager:v0.33.0",
            ],
        },
    },
}

# API versions a release no longer serves: (first minor without it, apiVersion, kinds or None for
# every kind, replacement). From the Kubernetes deprecated API migration guide.
REMOVED_APIS = [
    (16, "extensions/v1beta1", ("DaemonSet", "Deployment", "ReplicaSet", "NetworkPolicy", "PodSecurityPolicy"),
     "apps/v1 (networking.k8s.io/v1 for NetworkPolicy, policy/v1beta1 for PodSecurityPolicy)"),
    (16, "apps/v1beta1", None, "apps/v1"),
    (16, "apps/v1beta2", None, "apps/v1"),
    (22, "admissionregistration.k8s.io/v1beta1", None, "admissionregistration.k8s.io/v1"),
    (22, "apiextensions.k8s.io/v1beta1", None, "apiextensions.k8s.io/v1"),
    (22, "apiregistration.k8s.io/v1beta1", None, "apiregistration.k8s.io/v1"),
    (22, "authentication.k8s.io/v1beta1", None, "authentication.k8s.io/v1"),
    (22, "authorization.k8s.io/v1beta1", None, "authorization.k8s.io/v1"),
    (22, "certificates.k8s.io/v1beta1", None, "certificates.k8s.io/v1"),
    (22, "coordination.k8s.io/v1beta1", None, "coordination.k8s.io/v1"),
    (22, "extensions/v1beta1", ("Ingress",), "networking.k8s.io/v1"),
    (22, "networking.k8s.io/v1beta1", ("Ingress", "IngressClass"), "networking.k8s.io/v1"),
    (22, "rbac.authorization.k8s.io/v1beta1", None, "rbac.authorization.k8s.io/v1"),
    (22, "scheduling.k8s.io/v1beta1", None, "scheduling.k8s.io/v1"),
    (22, "storage.k8s.io/v1beta1", ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"), "storage.k8s.io/v1"),
    (25, "batch/v1beta1", ("CronJob",), "batch/v1"),
    (25, "discovery.k8s.io/v1beta1", ("EndpointSlice",), "discovery.k8s.io/v1"),
    (25, "events.k8s.io/v1beta1", ("Event",), "events.k8s.io/v1"),
    (25, "autoscaling/v2beta1", ("HorizontalPodAutoscaler",), "autoscaling/v2"),
    (25, "policy/v1beta1", ("PodDisruptionBudget",), "policy/v1"),
    (25, "policy/v1beta1", ("PodSecurityPolicy",), "Pod Security Admission (PodSecurityPolicy has no successor API)"),
    (25, "node.k8s.io/v1beta1", ("RuntimeClass",), "node.k8s.io/v1"),
    (26, "flowcontrol.apiserver.k8s.io/v1beta1", None, "flowcontrol.apiserver.k8s.io/v1"),
    (26, "autoscaling/v2beta2", ("HorizontalPodAutoscaler",), "autoscaling/v2"),
    (27, "storage.k8s.io/v1beta1", ("CSIStorageCapacity",), "storage.k8s.io/v1"),
    (29, "flowcontrol.apiserver.k8s.io/v1beta2", None, "flowcontrol.apiserver.k8s.io/v1"),
    (32, "flowcontrol.apiserver.k8s.io/v1beta3", None, "flowcontrol.apiserver.k8s.io/v1"),
]


class AddonError(ValueError):
    pass


def _range_text(first, last):
    return "1.%d%s" % (first, (" to 1.%d" % last) if last else " and later")


def release(addon, version, variable=None):
    """The table entry of ``addon`` at ``version``; an unknown one is refused naming the variable."""
    label = variable or "%s version" % addon
    if addon not in ADDONS:
        raise AddonError("%s: unknown add-on %r (known: %s)" % (label, addon, ", ".join(sorted(ADDONS))))
    if version not in ADDONS[addon]:
        raise AddonError("%s: %s %r is not a version this collection knows (known: %s)"
                         % (label, addon, version, ", ".join(sorted(ADDONS[addon], key=lambda v: ADDONS[addon][v]["released"]))))
    return dict(ADDONS[addon][version], addon=addon, version=version)


def default_version(addon, kubernetes_version):
    """The newest known release of ``addon`` that supports ``kubernetes_version``."""
    minor = kube_versions.minor_of(kubernetes_version)
    fitting = [(entry["released"], version) for version, entry in ADDONS[addon].items()
               if entry["supported"][0] <= minor and (entry["supported"][1] is None or minor <= entry["supported"][1])]
    if not fitting:
        raise AddonError("no known %s release supports Kubernetes %s" % (addon, kubernetes_version))
    return max(fitting)[1]


def support(addon, version, kubernetes_version, variable=None):
    """(problems, warnings) of running ``addon`` ``version`` on ``kubernetes_version``: outside
    the supported range is a problem, outside the tested one (or retired upstream) a warning."""
    entry = release(addon, version, variable)
    minor = kube_versions.minor_of(kubernetes_version)
    label = variable or "%s version" % addon
    problems, warnings = [], []
    first, last = entry["supported"]
    if minor < first or (last is not None and minor > last):
        problems.append("%s: %s %s works with Kubernetes %s, not %s" % (label, addon, version, _range_text(first, last),
                                                                        kubernetes_version))
    else:
        first, last = entry["tested"]
        if minor < first or (last is not None and minor > last):
            tested = _range_text(first, last)
            warnings.append("%s %s is tested upstream with Kubernetes %s, not %s" % (addon, version, tested, kubernetes_version))
    if entry.get("retired"):
        warnings.append(entry["retired"])
    return problems, warnings


def removed_api_problems(objects, kubernetes_version, source="manifest"):
    """One sentence per object whose apiVersion ``kubernetes_version`` no longer serves, naming
    the object and the replacement."""
    minor = kube_versions.minor_of(kubernetes_version)
    found = []
    for obj in objects:
        api, kind = obj.get("apiVersion"), obj.get("kind")
        for first, removed, kinds, replacement in REMOVED_APIS:
            if minor >= first and api == removed and (kinds is None or kind in kinds):
                meta = obj.get("metadata") or {}
                name = "%s/%s" % (meta["namespace"], meta.get("name")) if meta.get("namespace") else meta.get("name")
                found.append("%s: %s %s uses %s, which Kubernetes %s no longer serves (removed in 1.%d; use %s)"
                             % (source, kind, name, api, kubernetes_version, first, replacement))
                break
    return found
