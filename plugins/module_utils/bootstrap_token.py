# -*- coding: utf-8 -*-
# Copyright: (c) 2026, helmsman.kubeadm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plain functions behind the kubeadm_token module: formats, parsing and the reuse decision.

Facts used (kubeadm, cluster-bootstrap):
* a token is ``<id>.<secret>``, id ``[a-z0-9]{6}``, secret ``[a-z0-9]{16}``;
* ``kubeadm token list -o json`` prints one pretty-printed JSON object per token, one after
  another (not an array), and nothing at all when there is no token; the objects have
  ``kind: BootstrapToken`` and ``apiVersion: output.kubeadm.k8s.io/v1alpha1|2|3``;
* ``--ttl`` takes a Go duration, ``0`` meaning the token never expires;
* ``kubeadm token delete`` exits 1 with ``... not found`` when the token does not exist.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import json
import re

TOKEN_RE = re.compile(r"^([a-z0-9]{6})\.([a-z0-9]{16})$")
TOKEN_ID_RE = re.compile(r"^[a-z0-9]{6}$")
GROUP_RE = re.compile(r"^system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]$")
OUTPUT_API_VERSIONS = (
    "output.kubeadm.k8s.io/v1alpha1",
    "output.kubeadm.k8s.io/v1alpha2",
    "output.kubeadm.k8s.io/v1alpha3",
)
DEFAULT_GROUPS = ["system:bootstrappers:kubeadm:default-node-token"]
DEFAULT_USAGES = ["signing", "authentication"]
KNOWN_USAGES = ("signing", "authentication")
_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


class TokenError(Exception):
    """Raised with an operator-facing message."""


def split_token(token):
    """Return (id, secret) of a full token, refusing anything that is not id.secret."""
    match = TOKEN_RE.match(token or "")
    if not match:
        raise TokenError("the token is not of the form [a-z0-9]{6}.[a-z0-9]{16}")
    return match.group(1), match.group(2)


def token_id_of(value):
    """Accept a token id or a full token and return the id (what ``kubeadm token delete`` accepts)."""
    if TOKEN_ID_RE.match(value or ""):
        return value
    if TOKEN_RE.match(value or ""):
        return value.split(".", 1)[0]
    raise TokenError("%r is neither a token id ([a-z0-9]{6}) nor a token ([a-z0-9]{6}.[a-z0-9]{16})"
                     % (value if len(value or "") <= 6 else (value[:6] + "...")))


def parse_duration(value):
    """Seconds in a kubeadm --ttl value: a Go duration (``24h``, ``1h30m``, ``90s``), ``0``, or an int."""
    if isinstance(value, bool):
        raise TokenError("ttl must be a duration such as 24h, 1h30m or 0, not a boolean")
    if isinstance(value, (int, float)):
        if value < 0:
            raise TokenError("ttl must not be negative")
        return int(value)
    text = str(value).strip()
    if text in ("0", "0s"):
        return 0
    if re.match(r"^\d+$", text):
        return int(text)
    pos, total = 0, 0.0
    for match in _DURATION_RE.finditer(text):
        if match.start() != pos:
            break
        total += float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
        pos = match.end()
    if pos != len(text) or not text:
        raise TokenError("ttl %r is not a duration such as 24h, 1h30m, 90s or 0" % text)
    return int(total)


def format_duration(seconds):
    """Go's time.Duration.String() for whole seconds: 86400 -> ``24h0m0s``; 0 -> ``0s``."""
    seconds = int(seconds)
    if seconds == 0:
        return "0s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "%dh%dm%ds" % (hours, minutes, secs)
    if minutes:
        return "%dm%ds" % (minutes, secs)
    return "%ds" % secs


def parse_rfc3339(value):
    """Parse the RFC 3339 timestamps kubeadm prints (``2026-11-26T20:00:00Z`` or with an offset)."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    # Python 3.6 fromisoformat is absent; strptime with %z needs the colon removed.
    frac = ""
    match = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?([+-]\d{2}):?(\d{2})$", text)
    if not match:
        raise TokenError("cannot parse the expiry time %r" % value)
    if match.group(2):
        frac = match.group(2)[:7]
    parsed = datetime.datetime.strptime(
        match.group(1) + (frac if frac else "") + match.group(3) + match.group(4),
        "%Y-%m-%dT%H:%M:%S" + ("%f" if frac else "") + "%z")
    return parsed.astimezone(UTC)


class _UTC(datetime.tzinfo):
    def utcoffset(self, dt):
        return datetime.timedelta(0)

    def tzname(self, dt):
        return "UTC"

    def dst(self, dt):
        return datetime.timedelta(0)


UTC = _UTC()


def utcnow():
    return datetime.datetime.now(UTC)


def iter_json_objects(text):
    """Yield each JSON value of a stream of values printed one after another (kubeadm's -o json)."""
    decoder = json.JSONDecoder()
    pos, end = 0, len(text)
    while True:
        while pos < end and text[pos].isspace():
            pos += 1
        if pos >= end:
            return
        try:
            obj, pos = decoder.raw_decode(text, pos)
        except ValueError as exc:
            raise TokenError("cannot parse `kubeadm token list -o json` output at character %d: %s" % (pos, exc))
        yield obj


def parse_token_list(text):
    """Parse ``kubeadm token list -o json`` output into a list of normalised token dicts.

    Each dict: ``id``, ``token`` (full secret value), ``description``, ``usages``, ``groups``,
    ``expires`` (aware datetime, or None for a token that never expires).
    """
    tokens = []
    for obj in iter_json_objects(text or ""):
        if isinstance(obj, dict) and obj.get("kind") == "List" and isinstance(obj.get("items"), list):
            objs = obj["items"]
        else:
            objs = [obj]
        for item in objs:
            if not isinstance(item, dict) or item.get("kind") != "BootstrapToken":
                raise TokenError("unexpected object in `kubeadm token list -o json` output: kind %r"
                                 % (item.get("kind") if isinstance(item, dict) else type(item).__name__))
            if item.get("apiVersion") not in OUTPUT_API_VERSIONS:
                raise TokenError("unsupported kubeadm output API version %r (known: %s)"
                                 % (item.get("apiVersion"), ", ".join(OUTPUT_API_VERSIONS)))
            token_value = item.get("token")
            if isinstance(token_value, dict):  # defensive: an object form id/secret
                token_value = "%s.%s" % (token_value.get("id"), token_value.get("secret"))
            token_id, _secret = split_token(token_value)
            tokens.append({
                "id": token_id,
                "token": token_value,
                "description": item.get("description", "") or "",
                "usages": list(item.get("usages") or []),
                "groups": list(item.get("groups") or []),
                "expires": parse_rfc3339(item["expires"]) if item.get("expires") else None,
            })
    return tokens


def remaining_seconds(token, now):
    """Seconds of validity left, None for a token that never expires, <= 0 once expired."""
    if token["expires"] is None:
        return None
    return int((token["expires"] - now).total_seconds())


def matches(token, description, groups, usages):
    """True when the token was made for the same purpose (same description, groups and usages)."""
    return (token["description"] == (description or "")
            and sorted(token["groups"]) == sorted(groups)
            and sorted(token["usages"]) == sorted(usages))


def choose_reusable(tokens, description, groups, usages, ttl_seconds, min_ttl_seconds, now):
    """Pick the token to reuse, or None when a new one must be created.

    * ``ttl_seconds == 0`` (never expires) reuses only a token that never expires;
    * otherwise a token that never expires is not reused (the caller asked for a bounded
      lifetime), and a bounded one must still have ``min_ttl_seconds`` left;
    * among candidates the one with the most time left wins; ties break on the id so the
      choice is stable from run to run.
    """
    candidates = []
    for token in tokens:
        if not matches(token, description, groups, usages):
            continue
        left = remaining_seconds(token, now)
        if ttl_seconds == 0:
            if left is None:
                candidates.append((float("inf"), token["id"], token))
        elif left is not None and left > 0 and left >= min_ttl_seconds:
            candidates.append((left, token["id"], token))
    if not candidates:
        return None
    candidates.sort(key=lambda c: (-c[0], c[1]))
    return candidates[0][2]


def other_join_tokens(tokens, keep_id):
    """Ids, sorted, of the tokens other than ``keep_id`` that can authenticate a joining node
    (usage ``authentication``), e.g. the default token ``kubeadm init`` creates."""
    return sorted(t["id"] for t in tokens if t["id"] != keep_id and "authentication" in t["usages"])


def public_view(token, now):
    """A token without its secret, fit for results and logs."""
    left = remaining_seconds(token, now)
    return {
        "id": token["id"],
        "description": token["description"],
        "usages": sorted(token["usages"]),
        "groups": sorted(token["groups"]),
        "expires": token["expires"].strftime("%Y-%m-%dT%H:%M:%SZ") if token["expires"] else None,
        "ttl_seconds": left,
        "expired": left is not None and left <= 0,
    }


def validate_ttls(ttl_seconds, min_ttl_seconds):
    """A bounded token must be reusable right after it is made, or every run would mint a new one."""
    if ttl_seconds and min_ttl_seconds >= ttl_seconds:
        raise TokenError("min_ttl (%s) must be shorter than ttl (%s), or a new token would be created on every run"
                         % (format_duration(min_ttl_seconds), format_duration(ttl_seconds)))


def ttl_problems(ttl, min_ttl, ttl_var="master_join_token_ttl", min_ttl_var="master_join_token_min_ttl"):
    """Messages (empty when fine) about a token's ttl and min_ttl, naming the variables."""
    parsed = {}
    problems = []
    for var, value in ((ttl_var, ttl), (min_ttl_var, min_ttl)):
        try:
            parsed[var] = parse_duration(value)
        except TokenError as exc:
            problems.append("%s: %s" % (var, exc))
    if not problems:
        try:
            validate_ttls(parsed[ttl_var], parsed[min_ttl_var])
        except TokenError as exc:
            problems.append("%s / %s: %s" % (min_ttl_var, ttl_var, exc))
    return problems


def validate_groups(groups):
    for group in groups:
        if not GROUP_RE.match(group):
            raise TokenError("group %r does not match %s" % (group, GROUP_RE.pattern))


def validate_usages(usages):
    unknown = [u for u in usages if u not in KNOWN_USAGES]
    if unknown:
        raise TokenError("unknown usage(s) %s; known: %s" % (", ".join(unknown), ", ".join(KNOWN_USAGES)))
    if not usages:
        raise TokenError("at least one usage is required")


def create_command(kubeadm, kubeconfig, ttl_seconds, description, groups, usages, token=None):
    """argv of ``kubeadm token create``; an explicit token value goes in as the positional argument."""
    argv = [kubeadm, "token", "create"]
    if token:
        argv.append(token)
    argv += ["--kubeconfig", kubeconfig, "--ttl", format_duration(ttl_seconds),
             "--groups", ",".join(groups), "--usages", ",".join(usages)]
    if description:
        argv += ["--description", description]
    return argv


def list_command(kubeadm, kubeconfig):
    return [kubeadm, "token", "list", "-o", "json", "--kubeconfig", kubeconfig]


def delete_command(kubeadm, kubeconfig, token_id):
    return [kubeadm, "token", "delete", token_id, "--kubeconfig", kubeconfig]


def delete_reports_absent(rc, stderr):
    """kubeadm exits 1 with `... not found` when the token is already gone: that is success here."""
    return rc != 0 and "not found" in (stderr or "")


def join_command(endpoint, token, ca_hashes):
    """The worker join command (what ``kubeadm token create --print-join-command`` prints)."""
    if not ca_hashes:
        raise TokenError("no CA certificate hash: the join command would not pin the control plane")
    parts = ["kubeadm", "join", endpoint, "--token", token]
    for pin in ca_hashes:
        parts += ["--discovery-token-ca-cert-hash", pin]
    return " ".join(parts)


def endpoint_from_server(server):
    """``https://10.0.0.1:6443`` -> ``10.0.0.1:6443`` (kubeadm strips the scheme the same way)."""
    endpoint = re.sub(r"^https?://", "", server or "").rstrip("/")
    if not endpoint:
        raise TokenError("the kubeconfig has no cluster server address")
    return endpoint


def cluster_from_kubeconfig(config):
    """Return (server, certificate-authority-data or path) of the current context's cluster."""
    if not isinstance(config, dict):
        raise TokenError("the kubeconfig is not a YAML mapping")
    clusters = {c.get("name"): c.get("cluster") or {} for c in config.get("clusters") or []}
    contexts = {c.get("name"): c.get("context") or {} for c in config.get("contexts") or []}
    current = config.get("current-context")
    cluster_name = contexts.get(current, {}).get("cluster") if current else None
    if cluster_name is None:
        if len(clusters) != 1:
            raise TokenError("the kubeconfig has no current context and %d clusters" % len(clusters))
        cluster_name = list(clusters)[0]
    cluster = clusters.get(cluster_name)
    if cluster is None:
        raise TokenError("the kubeconfig's context names a cluster %r that it does not define" % cluster_name)
    return cluster.get("server"), cluster.get("certificate-authority-data"), cluster.get("certificate-authority")
