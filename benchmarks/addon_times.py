"""Per add-on time of a cluster scenario's converge, idempotence and check steps, from the output of
scripts/molecule.sh (profile_tasks timestamps):

    scripts/molecule.sh cluster > out.log; python benchmarks/addon_times.py out.log cluster
"""
import re
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    text = handle.read()
scen = sys.argv[2]
parts = re.split(r"INFO     \[%s > (\w+)\] Executing" % scen, text)
marks = [("flannel", r"TASK \[helmsman.kubeadm.flannel : Validating"),
         ("ingress", r"TASK \[helmsman.kubeadm.ingress : Validating"),
         ("nfs client", r"PLAY \[NFS client on the cluster hosts\]"),
         ("nfs server+volumes", r"PLAY \[NFS server and volumes\]"),
         ("metrics", r"TASK \[helmsman.kubeadm.metrics : Validating"),
         ("dashboard", r"TASK \[helmsman.kubeadm.dashboard : Validating"),
         ("prometheus", r"TASK \[helmsman.kubeadm.prometheus : Validating"),
         ("hpa example", r"PLAY \[HPA example\]"), ("end", r"PLAY RECAP")]
stamp = re.compile(r"^\w+ \d+ \w+ \d+\s+[\d:]+ \S+ \(([\d:.]+)\)\s+([\d:.]+)", re.M)


def secs(value):
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


for i in range(1, len(parts), 2):
    step, body = parts[i], parts[i + 1]
    if step not in ("converge", "idempotence", "check"):
        continue
    at = {}
    for name, pat in marks:
        found = list(re.finditer(pat, body))
        if not found:
            continue
        m = found[-1]
        st = stamp.search(body, m.end())
        if name == "end":
            last = list(stamp.finditer(body, 0, m.start()))[-1]
            at[name] = secs(last.group(2))
        elif st:
            at[name] = secs(st.group(2))
    names = [n for n, _pattern in marks if n in at]
    print(step, "total %.0f s;" % at.get("end", 0),
          ", ".join("%s %.1f s" % (a, at[b] - at[a]) for a, b in zip(names, names[1:])))
