"""deploy/: the image, the compose file and the proxy keep the deployment's rules (docs/DEPLOY.md).

Docker cannot run here, so the files are read as they are: docker-compose.yml with PyYAML, the
Dockerfile line by line (its heredocs, the entrypoint, kept apart), the Caddyfile as a tree of blocks
whose routes are played for real requests. Each rule is a function that lists problems; every test
runs it on the real files (no problem) and on a copy broken on purpose (the problem is found), so
no check can quietly stop checking.
"""
from __future__ import annotations

import copy
import fnmatch
import re
import shlex
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest
import yaml

from bot.paths import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
COMPOSE_TEXT = (DEPLOY / "docker-compose.yml").read_text(encoding="utf-8")
DOCKERFILE_TEXT = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
CADDYFILE_TEXT = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
ENV_EXAMPLE_TEXT = (DEPLOY / ".env.example").read_text(encoding="utf-8")
DOCKERIGNORE_TEXT = (REPO_ROOT / ".dockerignore").read_text(encoding="utf-8")

SECRET_NAME = re.compile(r"SECRET|TOKEN|PASSWORD|PASSWD|KEY", re.IGNORECASE)
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-?])([^}]*))?\}")
ROOT_USERS = {"root", "0", "0:0", "root:root"}


def compose() -> dict:
    return yaml.safe_load(COMPOSE_TEXT)


# --- reading the files ------------------------------------------------------------------------------

def our_services(spec: dict) -> dict:
    """The services that run our image (built from deploy/Dockerfile)."""
    return {name: service for name, service in spec["services"].items()
            if str((service.get("build") or {}).get("dockerfile", "")).endswith("deploy/Dockerfile")}


def long_running(spec: dict) -> dict:
    return {name: service for name, service in spec["services"].items() if str(service.get("restart")) != "no"}


def environment(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {str(key): ("" if value is None else str(value)) for key, value in env.items()}


def strings(node) -> list[str]:
    """Every string in a parsed YAML document, keys included."""
    if isinstance(node, dict):
        return [s for key, value in node.items() for s in strings(key) + strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return [node] if isinstance(node, str) else []


def dockerfile_instructions(text: str) -> list[tuple[str, str, list[str]]]:
    """(INSTRUCTION, arguments, heredoc bodies) per instruction; continuations joined, comments dropped."""
    lines, found, i = text.splitlines(), [], 0
    while i < len(lines):
        line, i = lines[i], i + 1
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        while line.rstrip().endswith("\\") and i < len(lines):
            nxt, i = lines[i], i + 1
            if not nxt.lstrip().startswith("#"):
                line = line.rstrip()[:-1] + " " + nxt.strip()
        bodies = []
        for marker in re.findall(r"<<-?['\"]?([A-Za-z_]+)['\"]?", line):
            body = []
            while i < len(lines) and lines[i].strip() != marker:
                body.append(lines[i])
                i += 1
            i += 1
            bodies.append("\n".join(body))
        word, _, rest = line.strip().partition(" ")
        found.append((word.upper(), rest.strip(), bodies))
    return found


def final_stage(instructions: list) -> list:
    starts = [n for n, (word, _, _) in enumerate(instructions) if word == "FROM"]
    return instructions[starts[-1]:]


def heredoc_file(instructions: list, destination_name: str) -> str:
    """The text of a file the Dockerfile writes with COPY <<EOF ... /path/NAME."""
    for word, args, bodies in instructions:
        if word == "COPY" and bodies and args.split()[-1].endswith("/" + destination_name):
            return bodies[0]
    return ""


def entrypoint_roles(instructions: list) -> dict[str, str]:
    """The entrypoint script's `case` arms: role -> its commands, as one line each."""
    entry = [args for word, args, _ in instructions if word == "ENTRYPOINT"]
    if not entry:
        return {}
    name = Path(yaml.safe_load(entry[-1])[0] if entry[-1].startswith("[") else entry[-1].split()[0]).name
    roles, role = {}, None
    for raw in re.sub(r"\\\n\s*", " ", heredoc_file(instructions, name)).splitlines():
        line = raw.strip()
        arm = re.fullmatch(r"([\w*|-]+)\)", line)
        if arm:
            role = arm.group(1)
            roles[role] = ""
        elif line == ";;":
            role = None
        elif role and line and not line.startswith("#"):
            roles[role] += line + "\n"
    return roles


def role_commands(service: dict, roles: dict[str, str]) -> str:
    """What a service of our image runs: its entrypoint arm, or the command itself."""
    command = service.get("command") or ["rasa"]
    command = command if isinstance(command, list) else shlex.split(command)
    return roles.get(command[0]) or " ".join(command)


def dockerignored(patterns_text: str, path: str) -> bool:
    """Whether Docker leaves `path` (relative to the context) out, under .dockerignore's rules: the last
    pattern matching the path or one of its parent folders decides; `!` lets it back in."""
    ignored = False
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    for raw in patterns_text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        exception, pattern = line.startswith("!"), line.lstrip("!").strip("/")
        regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*")
        regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
        if any(re.fullmatch(regex, prefix) for prefix in prefixes):
            ignored = not exception
    return ignored


def caddy_tree(text: str) -> list[dict]:
    """The Caddyfile as nested blocks: {"tokens": [...], "children": [...]}."""
    root: list[dict] = []
    stack = [root]
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        tokens = shlex.split(line)
        if tokens == ["}"]:
            stack.pop()
            continue
        node = {"tokens": tokens[:-1] if tokens[-1] == "{" else tokens, "children": []}
        stack[-1].append(node)
        if tokens[-1] == "{":
            stack.append(node["children"])
    return root


def expand_imports(nodes: list[dict], snippets: dict) -> list[dict]:
    out = []
    for node in nodes:
        if node["tokens"][:1] == ["import"]:
            out += expand_imports(snippets.get(node["tokens"][1], []), snippets)
        else:
            out.append({"tokens": node["tokens"], "children": expand_imports(node["children"], snippets)})
    return out


def walk(nodes: list[dict]):
    for node in nodes:
        yield node
        yield from walk(node["children"])


class Caddy:
    """The one site of the Caddyfile, with its matchers and handle blocks, to play requests against."""

    def __init__(self, text: str) -> None:
        tree = caddy_tree(text)
        self.snippets = {node["tokens"][0][1:-1]: node["children"] for node in tree
                         if re.fullmatch(r"\(.+\)", node["tokens"][0])}
        self.sites = [node for node in tree if not re.fullmatch(r"\(.+\)", node["tokens"][0])]
        site = self.sites[0] if self.sites else {"tokens": [], "children": []}
        self.address = site["tokens"]
        self.body = expand_imports(site["children"], self.snippets)
        self.matchers: dict[str, dict[str, list[str]]] = {}
        for node in self.body:
            name = node["tokens"][0]
            if name.startswith("@"):
                lines = [child["tokens"] for child in node["children"]] or [node["tokens"][1:]]
                self.matchers[name] = {kind: args for kind, *args in lines}
        handles = [node for node in self.body if node["tokens"][0] == "handle"]
        self.handles = [h for h in handles if len(h["tokens"]) > 1] + [h for h in handles if len(h["tokens"]) == 1]

    def matches(self, matcher: str, method: str, path: str) -> bool:
        conditions = self.matchers.get(matcher)
        if conditions is None:
            return False
        for kind, args in conditions.items():
            if kind == "path" and not any(fnmatch.fnmatchcase(path.lower(), p.lower()) for p in args):
                return False
            if kind == "method" and method.upper() not in {a.upper() for a in args}:
                return False
            if kind not in ("path", "method"):
                return False  # a matcher this test does not know: it proves nothing
        return True

    def route(self, method: str, path: str) -> tuple[str, list[str]]:
        """("proxy", upstreams) or ("respond", [status]) for a request; ("none", []) when nothing answers."""
        for handle in self.handles:
            if len(handle["tokens"]) == 1 or self.matches(handle["tokens"][1], method, path):
                for node in walk(handle["children"]):
                    if node["tokens"][0] == "reverse_proxy":
                        return "proxy", upstreams(node)
                    if node["tokens"][0] == "respond":
                        return "respond", [t for t in node["tokens"][1:] if t.isdigit()][-1:]
                return "none", []
        return "none", []


def upstreams(reverse_proxy: dict) -> list[str]:
    found = [t for t in reverse_proxy["tokens"][1:] if not t.startswith("@")]
    for child in reverse_proxy["children"]:
        if child["tokens"][0] == "to":
            found += child["tokens"][1:]
    return found


def names_the_code_reads() -> set[str]:
    """Environment variables bot/ and actions/ read: os.environ[...] / .get(...), getenv(...), a settings
    module's env.get(...) or get("NAME") helper, and a parameter defaulting to the name (env_var="...")."""
    patterns = [r"environ\s*(?:\.get\(|\[|\.setdefault\()\s*[\"']([A-Z][A-Z0-9_]+)[\"']",
                r"getenv\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']",
                r"\benv\s*(?:\.get\(|\[)\s*[\"']([A-Z][A-Z0-9_]+)[\"']",
                r"\bget\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']\s*\)",
                r"env_var\b[^=\n]*=\s*[\"']([A-Z][A-Z0-9_]+)[\"']"]
    names: set[str] = set()
    for folder in ("bot", "actions"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            for pattern in patterns:
                names.update(re.findall(pattern, source))
    return names


@lru_cache(maxsize=1)
def names_read() -> frozenset[str]:
    """Every variable our containers may be given: what our code reads, and Sanic's own settings
    (Sanic loads SANIC_<SETTING> from the environment into its config, e.g. SANIC_PROXIES_COUNT)."""
    from sanic.config import DEFAULT_CONFIG

    return frozenset(names_the_code_reads() | {f"SANIC_{key}" for key in DEFAULT_CONFIG if not key.startswith("_")})


@lru_cache(maxsize=None)
def git_ignored(relative: str) -> bool:
    if not shutil.which("git") or not (REPO_ROOT / ".git").exists():
        pytest.skip("git is not available to say what is ignored")
    result = subprocess.run(["git", "check-ignore", "-q", "--no-index", relative], cwd=REPO_ROOT)
    return result.returncode == 0


# --- the rules ------------------------------------------------------------------------------------

def port_problems(spec: dict) -> list[str]:
    problems = [f"{name} publishes ports {service['ports']}: only the proxy may"
                for name, service in spec["services"].items() if name != "proxy" and service.get("ports")]
    published = {str(port).split(":")[-2] if ":" in str(port) else str(port)
                 for port in spec["services"].get("proxy", {}).get("ports") or []}
    if published != {"80", "443"}:
        problems.append(f"the proxy publishes {sorted(published)}, not 80 and 443")
    return problems


def health_problems(spec: dict) -> list[str]:
    problems = []
    for name, service in long_running(spec).items():
        check = service.get("healthcheck") or {}
        if check.get("disable") or not check.get("test") or check.get("test") in (["NONE"], "NONE"):
            problems.append(f"{name} runs for good but has no healthcheck")
        if service.get("restart") != "unless-stopped":
            problems.append(f"{name} should have restart: unless-stopped, not {service.get('restart')!r}")
    for name, service in spec["services"].items():
        depends = service.get("depends_on") or {}
        for needed in depends:
            if not isinstance(depends, dict) or "condition" not in (depends[needed] or {}):
                problems.append(f"{name} depends on {needed} without a condition")
    return problems


def user_problems(spec: dict, dockerfile: str) -> list[str]:
    steps = dockerfile_instructions(dockerfile)
    users = [args.strip() for word, args, _ in final_stage(steps) if word == "USER"]
    image_user = users[-1] if users else "root"
    problems = [] if image_user not in ROOT_USERS else [f"the image's final stage runs as {image_user!r}"]
    uid = re.search(r"useradd[^\n]*--uid (\d+)", dockerfile)
    for name, service in our_services(spec).items():
        user = str(service.get("user") or image_user)
        if user in ROOT_USERS or user.split(":")[0] in ("0", "root"):
            problems.append(f"{name} runs as root ({user!r})")
        elif service.get("user") and uid and str(service["user"]).split(":")[0] != uid.group(1):
            problems.append(f"{name} runs as uid {service['user']}, not the image's user {uid.group(1)}")
    return problems


def secret_problems(spec: dict) -> list[str]:
    problems = []
    for name, service in spec["services"].items():
        for key, value in environment(service).items():
            full = INTERPOLATION.fullmatch(value)
            if SECRET_NAME.search(key) and not (full and not (full.group(2) == "-" and full.group(3))):
                problems.append(f"{name}: {key} must come from ${{...}} with no default, not {value!r}")
            for credentials in re.findall(r"://[^/@\s]*:([^/@\s]+)@", value):
                if not INTERPOLATION.fullmatch(credentials):
                    problems.append(f"{name}: {key} writes a password into its URL")
        for env_file in service.get("env_file") or []:
            path = env_file if isinstance(env_file, str) else env_file.get("path", "")
            if not git_ignored(str((DEPLOY / path).resolve().relative_to(REPO_ROOT))):
                problems.append(f"{name}: env_file {path} is not gitignored")
    return problems


def env_example_problems(text: str, spec: dict, ignored=git_ignored) -> list[str]:
    problems = [] if ignored("deploy/.env") else ["deploy/.env is not gitignored"]
    example = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line and not line.startswith("#"):
            key, sep, value = line.partition("=")
            if not sep:
                problems.append(f".env.example line {number} is not NAME=value")
            example[key.strip()] = value.strip()
    for key, value in example.items():
        if SECRET_NAME.search(key) and value and not value.startswith("change-me"):
            problems.append(f".env.example gives {key} a value that is not a change-me placeholder")
    used = {match.group(1) for value in strings(spec) for match in INTERPOLATION.finditer(value)}
    problems += [f"{name} is used by docker-compose.yml but not in .env.example" for name in sorted(used - set(example))]
    problems += [f"{name} is in .env.example but docker-compose.yml never uses it" for name in sorted(set(example) - used)]
    return problems


def dockerfile_problems(text: str) -> list[str]:
    steps = dockerfile_instructions(text)
    problems = []
    froms = [args for word, args, _ in steps if word == "FROM"]
    base = re.search(r"ARG PYTHON_IMAGE=(\S+)", text)
    first = froms[0].split()[0] if froms else ""
    if (base.group(1) if base and first == "${PYTHON_IMAGE}" else first) != "python:3.10-slim-bookworm":
        problems.append(f"the base image is {first!r}, not python:3.10-slim-bookworm")
    for word, args, _ in steps:
        if word == "ENV":
            names = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", args) or args.split()[:1]
            problems += [f"ENV {n} looks like a secret: secrets come at run time" for n in names if SECRET_NAME.search(n)]
        if word == "ARG" and SECRET_NAME.search(args.split("=")[0]):
            problems.append(f"ARG {args}: build arguments stay in the image's history")
        if word in ("COPY", "ADD"):
            sources = [s for s in args.split()[:-1] if not s.startswith(("--", "<<"))]
            for source in sources:
                if re.search(r"(^|/)(\.webchat_secret|\.env[^/]*|\.git|\.venv)(/|$)|\.db$", source):
                    problems.append(f"{word} {source}: never into the image")
    run = " ".join(args for word, args, _ in steps if word == "RUN")
    for pattern, why in ((r"requirements\.lock.*pip install -r ", "install requirements.lock"),
                         (r"pip install --no-deps[^&]* \.(\s|$)", "install the project with --no-deps"),
                         (r"apt-get install [^&]*fonts-wqy-microhei", "install fonts-wqy-microhei for Chinese in charts"),
                         (r"python -m bot build-spacy", "build the spaCy pipeline (python -m bot build-spacy)")):
        if not re.search(pattern, run):
            problems.append(f"no RUN does {why}")
    if not any(word == "HEALTHCHECK" for word, _, _ in steps):
        problems.append("the image has no HEALTHCHECK")
    # The model: only in a stage that --build-arg WITH_MODEL=yes selects; the default has none.
    stage, defaults = "", {}
    for word, args, _ in steps:
        if word == "FROM":
            stage = args.split()[-1] if " AS " in args.upper() else ""
        if word == "ARG" and "=" in args:
            defaults.setdefault(*args.split("=", 1))
        if word in ("COPY", "ADD") and "models/" in args and stage != "model-yes":
            problems.append(f"{word} {args} in stage {stage!r}: the model must be copied only in model-yes")
    final_from = [args for word, args, _ in steps if word == "FROM"][-1:]
    if defaults.get("WITH_MODEL") != "no" or not final_from or not final_from[0].startswith("model-${WITH_MODEL}"):
        problems.append("the model is copied in by default: the final stage must be model-${WITH_MODEL}, WITH_MODEL=no")
    roles = entrypoint_roles(steps)
    rasa = roles.get("rasa", "")
    if "--enable-api" in rasa or "--enable-api" in text:
        problems.append("Rasa's HTTP API is turned on (--enable-api)")
    out = re.search(r"python -m bot endpoints[^\n]*--out (\S+)", rasa)
    if not out or not re.search(rf"python -m bot rasa run [^\n]*--endpoints {re.escape(out.group(1))}", rasa):
        problems.append("the rasa role does not write the run's endpoints and start Rasa with them")
    for needed in ("--model models", "--credentials credentials.yml", "--port 5005"):
        if needed not in rasa:
            problems.append(f"the rasa role does not start Rasa with {needed}")
    if not re.search(r"python -m bot rasa run actions --actions actions --port 5055", roles.get("actions", "")):
        problems.append("the actions role does not start the action server on 5055")
    return problems


NEEDED_IN_CONTEXT = ["bot/__main__.py", "bot/channels/webchat/static/widget.js", "actions/__init__.py",
                     "data/catalogue/steps.yml", "requirements.lock", "pyproject.toml", "README.md",
                     "config.yml", "domain.yml", "credentials.yml", "endpoints.yml", "models/dx-advisor.tar.gz"]
NEVER_IN_CONTEXT = [".venv/bin/python", ".git/config", "dx_advisor.db", "bot/storage/cache.db", ".webchat_secret",
                    "bot/.webchat_secret", ".env", "deploy/.env", "bot/.env", "build/spacy_en/meta.json",
                    "results/bench.json", "tests/artifacts/telegram.txt", "models/dx-advisor.inputs.json",
                    "models/old-model.tar.gz", "bot/__pycache__/paths.cpython-310.pyc"]


def dockerignore_problems(text: str) -> list[str]:
    problems = [f"{path} reaches the build context" for path in NEVER_IN_CONTEXT if not dockerignored(text, path)]
    problems += [f"{path} is left out of the build context, but the image needs it"
                 for path in NEEDED_IN_CONTEXT if dockerignored(text, path)]
    for word, args, _ in dockerfile_instructions(DOCKERFILE_TEXT):
        if word == "COPY" and not args.startswith(("--from", "<<")) and "<<" not in args:
            for source in [s for s in args.split()[:-1] if not s.startswith("--")]:
                if dockerignored(text, source.rstrip("/")):
                    problems.append(f"the Dockerfile copies {source}, which .dockerignore leaves out")
    return problems


PROXIED = [("GET", "/webchat/"), ("GET", "/webchat/widget.js"), ("POST", "/webchat/session"),
           ("OPTIONS", "/webchat/session"), ("POST", "/webchat/message"), ("GET", "/webchat/history"),
           ("GET", "/report/abc.def/chart.png"), ("GET", "/report/abc.def/plan.pdf"), ("GET", "/report/abc.def/plan.md"),
           ("POST", "/webhooks/telegram/webhook")]
REFUSED = [("POST", "/webhooks/rest/webhook"), ("GET", "/webhooks/rest/"), ("GET", "/model"), ("PUT", "/model"),
           ("POST", "/model/parse"), ("POST", "/model/train"), ("GET", "/conversations/s/tracker"),
           ("POST", "/conversations/s/messages"), ("GET", "/status"), ("GET", "/version"), ("GET", "/"),
           ("GET", "/webhooks/telegram/webhook"), ("GET", "/webhooks/telegram/"), ("GET", "/health"),
           ("POST", "/webhook"), ("GET", "/socket.io/"), ("POST", "/report/abc.def/chart.png"), ("GET", "/webchatx")]
KNOWN_SITE_DIRECTIVES = {"encode", "request_body", "header", "handle", "log", "tls"}


def caddy_problems(text: str, spec: dict) -> list[str]:
    caddy, problems = Caddy(text), []
    if len(caddy.sites) != 1 or caddy.address != ["{$DX_DOMAIN}"]:
        problems.append(f"one site, {{$DX_DOMAIN}} (automatic TLS), expected; found {[s['tokens'] for s in caddy.sites]}")
    for node in caddy.body:
        word = node["tokens"][0]
        if not word.startswith("@") and word not in KNOWN_SITE_DIRECTIVES:
            problems.append(f"the site has a `{word}` outside a handle block: routes go in handle blocks only")
    words = [token for node in walk(caddy_tree(text)) for token in node["tokens"]]
    if "auto_https" in words or ["tls", "off"] in [n["tokens"] for n in walk(caddy_tree(text))]:
        problems.append("automatic HTTPS is turned off")
    for token in words:
        if "5055" in token or re.search(r"\bactions\b", token) or re.match(r"/(webhooks/rest|model|conversations)", token):
            problems.append(f"the Caddyfile names {token!r}: the action server and Rasa's API stay private")
    rasa = sorted(f"{name}:5005" for name, service in our_services(spec).items()
                  if (service.get("command") or ["rasa"])[0] == "rasa")
    for method, path in PROXIED:
        kind, where = caddy.route(method, path)
        if kind != "proxy" or sorted(where) != rasa:
            problems.append(f"{method} {path} should go to {rasa}, goes to {kind} {where}")
    for method, path in REFUSED:
        if caddy.route(method, path) != ("respond", ["404"]):
            problems.append(f"{method} {path} should get 404 from the proxy, gets {caddy.route(method, path)}")
    for node in walk(caddy.body):
        if node["tokens"][0] == "reverse_proxy":
            settings = {child["tokens"][0]: child["tokens"][1:] for child in node["children"]}
            if settings.get("health_uri") != ["/"]:
                problems.append("the reverse proxy does not health-check the replicas (health_uri /)")
        if node["tokens"][0] == "header_up" and any(t.startswith("-") for t in node["tokens"][1:2]):
            problems.append(f"the proxy drops a request header ({node['tokens'][1]}): Telegram's secret must pass")
    headers = {t.lstrip("-") for node in caddy.body if node["tokens"][0] == "header"
               for child in node["children"] for t in child["tokens"][:1]}
    for needed in ("Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy"):
        if needed not in headers:
            problems.append(f"the site does not set {needed}")
    placeholders = set(re.findall(r"\{\$([A-Za-z_][A-Za-z0-9_]*)", text))
    missing = placeholders - set(environment(spec["services"].get("proxy", {})))
    problems += [f"the Caddyfile reads {{${name}}} but the proxy is not given {name}" for name in sorted(missing)]
    return problems


def migrate_problems(spec: dict, dockerfile: str) -> list[str]:
    roles, services, problems = entrypoint_roles(dockerfile_instructions(dockerfile)), our_services(spec), []
    migrate = services.get("migrate")
    if not migrate or "python -m bot migrate" not in role_commands(migrate, roles):
        return ["no `migrate` service of our image runs `python -m bot migrate`"]
    if str(migrate.get("restart")) != "no":
        problems.append("migrate is one-shot: restart must be \"no\"")
    if (migrate.get("depends_on") or {}).get("postgres", {}).get("condition") != "service_healthy":
        problems.append("migrate must wait for a healthy postgres")
    for name, service in services.items():
        if name == "migrate":
            continue
        condition = (service.get("depends_on") or {}).get("migrate", {})
        if not isinstance(condition, dict) or condition.get("condition") != "service_completed_successfully":
            problems.append(f"{name} must start only after migrate completed successfully")
    return problems


def env_name_problems(spec: dict, known: frozenset[str] | set[str]) -> list[str]:
    problems = []
    for name, service in our_services(spec).items():
        problems += [f"{name} is given {key}, which nothing in bot/, actions/ or Sanic reads (a typo?)"
                     for key in environment(service) if key not in known]
    for name, service in our_services(spec).items():
        env, command = environment(service), (service.get("command") or ["rasa"])[0]
        if command == "rasa":
            for needed in ("DATABASE_URL", "REDIS_URL", "WEBCHAT_SECRET", "ACTION_SERVER_URL", "DX_PUBLIC_URL"):
                if needed not in env:
                    problems.append(f"{name} (a Rasa replica) is not given {needed}")
            if env.get("TELEGRAM_MODE") != "webhook" or \
                    env.get("TELEGRAM_WEBHOOK_URL") != "https://${DX_DOMAIN}/webhooks/telegram/webhook":
                problems.append(f"{name}: Telegram must be in webhook mode at https://${{DX_DOMAIN}}/webhooks/telegram/webhook")
            if not env.get("ACTION_SERVER_URL", "").startswith("http://actions:5055/"):
                problems.append(f"{name}: ACTION_SERVER_URL should name the actions service on 5055")
        if command in ("rasa", "actions") and not re.fullmatch(r"\$\{WEBCHAT_SECRET:\?[^}]*\}", env.get("WEBCHAT_SECRET", "")):
            problems.append(f"{name}: every server must get the same required WEBCHAT_SECRET")
        url = env.get("DATABASE_URL", "")
        if url and not re.fullmatch(r"postgresql://dx:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432/dx", url):
            problems.append(f"{name}: DATABASE_URL should be the postgres service's dx database, not {url!r}")
    return problems


def network_problems(spec: dict) -> list[str]:
    proxy = set(spec["services"]["proxy"].get("networks") or ["default"])
    problems = [f"the proxy shares a network with {name}" for name in ("actions", "postgres", "redis", "migrate")
                if proxy & set(spec["services"][name].get("networks") or ["default"])]
    return problems


# --- the tests: the real files pass, and each rule catches a file broken on purpose ---------------------

def test_the_scan_finds_the_variables_the_code_reads():
    found = names_the_code_reads()
    assert {"DATABASE_URL", "REDIS_URL", "WEBCHAT_SECRET", "DX_PUBLIC_URL", "ACTION_SERVER_URL", "SANIC_WORKERS",
            "TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "SMTP_PASSWORD", "HANDOFF_WEBHOOK_URL",
            "DX_PHONE_REGION"} <= found
    assert "WEBCHAT_SECRETS" not in found and "SANIC_PROXIES_COUNT" in names_read()


@pytest.mark.parametrize("rule", [port_problems, health_problems, network_problems, secret_problems])
def test_the_compose_file_keeps_the_rule(rule):
    assert rule(compose()) == []


def test_our_services_run_as_the_images_non_root_user():
    assert user_problems(compose(), DOCKERFILE_TEXT) == []


def test_migrations_run_once_before_the_servers():
    assert migrate_problems(compose(), DOCKERFILE_TEXT) == []


def test_every_variable_given_to_our_services_is_one_the_code_reads():
    assert env_name_problems(compose(), names_read()) == []


def test_the_env_example_has_only_placeholders_and_dot_env_is_gitignored():
    assert env_example_problems(ENV_EXAMPLE_TEXT, compose()) == []


def test_the_dockerfile_keeps_the_rule():
    assert dockerfile_problems(DOCKERFILE_TEXT) == []


def test_the_build_context_leaves_out_local_state_and_secrets():
    assert dockerignore_problems(DOCKERIGNORE_TEXT) == []


def test_the_proxy_forwards_only_the_widget_the_reports_and_telegram():
    assert caddy_problems(CADDYFILE_TEXT, compose()) == []


def _set(path: str, value):
    """A change to the compose file: path like "services.rasa1.ports"; value None deletes."""
    def change(spec: dict) -> dict:
        *parents, last = path.split(".")
        node = spec
        for key in parents:
            node = node[key]
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
        return spec
    return change


COMPOSE_BREAKS = [
    (port_problems, _set("services.rasa1.ports", ["5005:5005"]), "rasa1 publishes"),
    (port_problems, _set("services.actions.ports", ["5055:5055"]), "actions publishes"),
    (port_problems, _set("services.proxy.ports", ["80:80", "443:443", "2019:2019"]), "the proxy publishes"),
    (health_problems, _set("services.redis.healthcheck", None), "redis runs for good"),
    (health_problems, _set("services.rasa2.healthcheck", {"disable": True}), "rasa2 runs for good"),
    (health_problems, _set("services.postgres.restart", "always"), "restart: unless-stopped"),
    (health_problems, _set("services.proxy.depends_on", ["rasa1"]), "without a condition"),
    (network_problems, _set("services.proxy.networks", ["edge", "backend"]), "shares a network with actions"),
    (secret_problems, _set("services.rasa1.environment.WEBCHAT_SECRET", "s3cr3t-value"), "WEBCHAT_SECRET must come"),
    (secret_problems, _set("services.actions.environment.SMTP_PASSWORD", "${SMTP_PASSWORD:-hunter2}"), "SMTP_PASSWORD"),
    (secret_problems, _set("services.postgres.environment.POSTGRES_PASSWORD", "postgres"), "POSTGRES_PASSWORD"),
    (secret_problems, _set("services.migrate.environment.DATABASE_URL", "postgresql://dx:pw@postgres:5432/dx"),
     "password into its URL"),
]


@pytest.mark.parametrize("rule, change, expected", COMPOSE_BREAKS, ids=[b[2] for b in COMPOSE_BREAKS])
def test_each_compose_rule_catches_a_broken_file(rule, change, expected):
    problems = rule(change(compose()))
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize("change, expected", [
    (_set("services.actions.user", "root"), "actions runs as root"),
    (_set("services.rasa1.user", "0:0"), "rasa1 runs as root"),
    (_set("services.migrate.user", "1000:1000"), "not the image's user"),
])
def test_a_root_user_is_caught(change, expected):
    assert any(expected in p for p in user_problems(change(compose()), DOCKERFILE_TEXT))


def test_an_image_that_runs_as_root_is_caught():
    spec = compose()
    for service in our_services(spec).values():
        service.pop("user")
    assert user_problems(spec, DOCKERFILE_TEXT) == []  # the image's own USER covers them
    assert any("runs as 'root'" in p for p in user_problems(spec, DOCKERFILE_TEXT.replace("USER 10001:10001", "USER root")))


@pytest.mark.parametrize("change, expected", [
    (_set("services.migrate.command", ["python", "-m", "bot", "stats"]), "runs `python -m bot migrate`"),
    (_set("services.rasa2.depends_on.migrate", {"condition": "service_started"}), "rasa2 must start only after"),
    (_set("services.actions.depends_on.migrate", None), "actions must start only after"),
    (_set("services.migrate.restart", "unless-stopped"), "one-shot"),
])
def test_a_broken_migration_order_is_caught(change, expected):
    assert any(expected in p for p in migrate_problems(change(compose()), DOCKERFILE_TEXT))


@pytest.mark.parametrize("change, expected", [
    (lambda s: s["services"]["rasa1"]["environment"].update(WEBCHAT_SECRETS="${WEBCHAT_SECRET}") or s, "WEBCHAT_SECRETS"),
    (lambda s: s["services"]["actions"]["environment"].update(SMTP_PASSWD="${SMTP_PASSWORD}") or s, "SMTP_PASSWD"),
    (_set("services.rasa2.environment.REDIS_URL", None), "rasa2 (a Rasa replica) is not given REDIS_URL"),
    (_set("services.rasa1.environment.TELEGRAM_MODE", "polling"), "webhook mode"),
    (_set("services.rasa1.environment.ACTION_SERVER_URL", "http://localhost:5055/webhook"), "ACTION_SERVER_URL"),
    (_set("services.actions.environment.WEBCHAT_SECRET", "${OTHER_SECRET:?}"), "same required WEBCHAT_SECRET"),
    (_set("services.rasa1.environment.DATABASE_URL", "sqlite:///dx.db"), "DATABASE_URL should be"),
])
def test_an_unknown_or_missing_variable_is_caught(change, expected):
    assert any(expected in p for p in env_name_problems(change(compose()), names_read()))


@pytest.mark.parametrize("text, ignored, expected", [
    (ENV_EXAMPLE_TEXT.replace("WEBCHAT_SECRET=change-me-webchat-secret", "WEBCHAT_SECRET=8f3a0c"), True,
     "gives WEBCHAT_SECRET a value"),
    (ENV_EXAMPLE_TEXT + "\nSMTP_API_KEY=abc\n", True, "SMTP_API_KEY"),
    (ENV_EXAMPLE_TEXT.replace("DX_DOMAIN=bot.example.com\n", ""), True, "DX_DOMAIN is used"),
    (ENV_EXAMPLE_TEXT, False, "not gitignored"),
])
def test_a_broken_env_example_is_caught(text, ignored, expected):
    assert any(expected in p for p in env_example_problems(text, compose(), ignored=lambda path: ignored))


@pytest.mark.parametrize("old, new, expected", [
    ("USER 10001:10001", "USER 10001:10001\nENV WEBCHAT_SECRET=abc", "ENV WEBCHAT_SECRET"),
    ("ARG WITH_MODEL=no", "ARG WITH_MODEL=no\nARG TELEGRAM_TOKEN", "ARG TELEGRAM_TOKEN"),
    ("COPY data ./data", "COPY data ./data\nCOPY .webchat_secret ./", ".webchat_secret: never"),
    ("COPY data ./data", "COPY data ./data\nCOPY deploy/.env /app/", ".env: never"),
    ("ARG PYTHON_IMAGE=python:3.10-slim-bookworm", "ARG PYTHON_IMAGE=python:3.11-slim", "base image"),
    ("HEALTHCHECK ", "# HEALTHCHECK ", "no HEALTHCHECK"),
    ("fonts-wqy-microhei", "fonts-noto-cjk", "fonts-wqy-microhei"),
    ("python -m bot build-spacy", "true", "build-spacy"),
    ("--port 5005", "--port 5005 --enable-api", "--enable-api"),
    ("--endpoints build/endpoints.run.yml", "--endpoints endpoints.yml", "endpoints and start Rasa"),
    ("--actions actions --port 5055", "--actions actions --port 5056", "on 5055"),
    ("ARG WITH_MODEL=no", "ARG WITH_MODEL=yes", "copied in by default"),
    ("COPY actions ./actions", "COPY actions ./actions\nCOPY models/dx-advisor.tar.gz models/", "only in model-yes"),
    ("python -m pip install -r /tmp/runtime.lock", "python -m pip install rasa", "install requirements.lock"),
    ("pip install --no-deps --no-build-isolation .", "pip install --no-build-isolation .", "--no-deps"),
])
def test_a_broken_dockerfile_is_caught(old, new, expected):
    assert old in DOCKERFILE_TEXT
    assert any(expected in p for p in dockerfile_problems(DOCKERFILE_TEXT.replace(old, new, 1)))


@pytest.mark.parametrize("change, expected", [
    (lambda t: t + "\n!.webchat_secret\n", ".webchat_secret reaches"),
    (lambda t: t + "\n!.venv\n", ".venv/bin/python reaches"),
    (lambda t: t.replace("**/*.db\n", ""), "bot/storage/cache.db reaches"),
    (lambda t: t.replace("**/.env\n", ""), "bot/.env reaches"),
    (lambda t: t.replace("!bot\n", ""), "bot/__main__.py is left out"),
    (lambda t: t.replace("!models/dx-advisor.tar.gz\n", "!models\n"), "models/old-model.tar.gz reaches"),
    (lambda t: t.replace("*\n", "", 1) + "\n!.git\n", ".git/config reaches"),
])
def test_a_broken_dockerignore_is_caught(change, expected):
    assert any(expected in p for p in dockerignore_problems(change(DOCKERIGNORE_TEXT)))


@pytest.mark.parametrize("old, new, expected", [
    ("\thandle {\n\t\trespond \"Not found\" 404", "\thandle {\n\t\timport rasa_replicas", "should get 404"),
    ("\t\tpath /report/*", "\t\tpath /report/* /model*", "'/model*'"),
    ("\t\tmethod POST\n\t\tpath /webhooks/telegram/webhook", "\t\tpath /webhooks/telegram/webhook",
     "GET /webhooks/telegram/webhook should get 404"),
    ("@webchat path /webchat/*", "@webchat path /webchat/* /webhooks/*", "POST /webhooks/rest/webhook should get 404"),
    ("rasa2:5005", "actions:5055", "'actions:5055'"),
    ("rasa1:5005 rasa2:5005", "rasa1:5005", "should go to ['rasa1:5005', 'rasa2:5005']"),
    ("\t\thealth_uri /\n", "", "health_uri"),
    ("\t\tfail_duration 30s\n", "\t\tfail_duration 30s\n\t\theader_up -X-Telegram-Bot-Api-Secret-Token\n",
     "drops a request header"),
    ("\t\tStrict-Transport-Security \"max-age=31536000\"\n", "", "Strict-Transport-Security"),
    ("{$DX_DOMAIN} {", "http://{$DX_DOMAIN} {", "automatic TLS"),
    ("\tencode zstd gzip\n", "\tencode zstd gzip\n\treverse_proxy /status rasa1:5005\n", "outside a handle"),
    ("{$DX_DOMAIN} {", "{$DX_HOST} {", "not given DX_HOST"),
])
def test_a_broken_caddyfile_is_caught(old, new, expected):
    assert old in CADDYFILE_TEXT
    assert any(expected in p for p in caddy_problems(CADDYFILE_TEXT.replace(old, new, 1), compose()))
