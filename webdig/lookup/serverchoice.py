"""The servers a look-up's parameters name, found and checked.

``useresolver`` (this server's own resolver, a preset, or any resolver's
address), ``nameservers`` as typed or a hosting provider's, and one
address of each preset service for ``ns=all``.  Names are resolved through
webdig's own resolver and addresses held to the target policy here, before
anything is sent to them; every problem is recorded by field.
"""

from __future__ import annotations

from functools import partial

from webdig.engine.nameservers import NameserverSpec, own_resolver, parse_nameserver, resolve
from webdig.engine.query import Server
from webdig.engine.session import QuerySession
from webdig.errors import InputError
from webdig.language.message import Message
from webdig.lookup.fielderrors import FieldErrors
from webdig.lookup.hosting import hosting_preset
from webdig.lookup.params import LookupParams, Mode
from webdig.presets import one_per_service
from webdig.settings import SYSTEM, Settings


def chosen_servers(
    mode: Mode, params: LookupParams, settings: Settings, errors: FieldErrors, session: QuerySession
) -> list[Server]:
    """The servers ``mode`` asks whatever the name (none for ``auth`` and ``nic``: those are
    found per hostname), with every problem recorded in ``errors``."""
    if mode in (Mode.AUTH, Mode.NIC):
        return []
    if mode == Mode.ALL:
        return [Server(p.address, p.port, name=p.label) for p in one_per_service(settings.presets)]
    if mode == Mode.RESOLVER:
        return _resolver(params, settings, errors, session)
    return _typed_servers(params, settings, errors, session)


def _resolver(
    params: LookupParams, settings: Settings, errors: FieldErrors, session: QuerySession
) -> list[Server]:
    """The ``useresolver`` server: this server's own, a preset, or any public address."""
    choice = params.useresolver.strip()
    if choice.lower() == SYSTEM:
        server = errors.check("useresolver", partial(own_resolver, settings))
        return [server] if server is not None else []
    preset = settings.preset(choice)
    if preset is not None:
        if preset.retired:
            retired = {"service": preset.label, "address": preset.key}
            errors.note("note.preset-retired", **retired, successor=preset.successor or "")
        return [Server(preset.address, preset.port, name=preset.label)]
    try:
        spec: NameserverSpec | None = parse_nameserver(choice)
    except InputError:
        spec = None
    if spec is None or not spec.is_address:
        errors.add(
            "useresolver",
            Message(
                "“{value}” is not one of the resolvers offered; choose one from the list, or "
                "enter a resolver's IP address.",
                value=choice[:40],
            ),
        )
        return []
    # digwebinterface links may name any resolver by address.  One webdig
    # does not know is asked exactly as if it had been typed in nameservers:
    # the same target policy, the same per-target rate limit.
    servers = errors.check("useresolver", partial(resolve, spec, settings, session))
    if not servers:
        return []
    errors.note("note.resolver-not-preset", address=spec.text)
    return servers[:1]


def _typed_servers(
    params: LookupParams, settings: Settings, errors: FieldErrors, session: QuerySession
) -> list[Server]:
    texts = params.nameservers
    if not texts and params.hosting:
        preset = hosting_preset(params.hosting)
        if preset is None:
            errors.add(
                "hosting",
                Message(
                    "“{value}” is not a hosting provider webdig knows.", value=params.hosting[:30]
                ),
            )
            return []
        texts = preset.nameservers
    if not texts:
        errors.add(
            "nameservers", Message("Enter the nameserver to ask, for example ns1.xserver.jp.")
        )
        return []
    if len(texts) > settings.max_nameservers:
        errors.add(
            "nameservers",
            Message(
                "You entered {count} nameservers; one look-up can ask at most {limit}.",
                count=len(texts),
                limit=settings.max_nameservers,
            ),
        )
        return []
    specs = [errors.check("nameservers", partial(parse_nameserver, t)) for t in texts]
    valid = [spec for spec in dict.fromkeys(specs) if spec is not None]

    def one(spec: NameserverSpec) -> list[Server] | InputError:
        preset = settings.preset(spec.host) if spec.is_address and spec.port == 53 else None
        if preset is not None:
            # A preset resolver typed by its address (digwebinterface links
            # list 1.1.1.1 and 8.8.8.8 in nameservers): ask it as the preset,
            # where the configuration sends it, under its name.
            return [Server(preset.address, preset.port, name=preset.label)]
        try:
            return resolve(spec, settings, session)
        except InputError as exc:
            return exc

    servers: list[Server] = []
    for outcome in session.map(one, valid):
        if isinstance(outcome, InputError):
            errors.add("nameservers", outcome.message)
        else:
            # dig asks the first address of a nameserver name; so do we,
            # preferring IPv4, which every host can reach.
            servers.append(sorted(outcome, key=lambda s: s.family)[0])
    return list(dict.fromkeys(servers))
