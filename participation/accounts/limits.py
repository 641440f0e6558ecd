"""Sign-in limits: failed sign-ins are counted, by address and by network; successes never.

The rule, in the order it is checked (``SignInLimits.refused``); a refused attempt is not
checked against the password and counts for nothing:

1. A network with ``per_network`` failures (any addresses) in the last minute is refused:
   one place guessing the passwords of many accounts.
2. An address with ``per_pair`` failures from this network in the last minute is refused from
   this network: a short lockout of the pair (address, network). It lifts a minute after the
   oldest of those failures.
3. An address with ``UNDER_ATTACK`` failures in the last hour, from all networks together, is
   under attack. Then a network that has itself failed ``PAIR_PER_HOUR`` times on the address
   in that hour is refused for it, for the rest of the hour; a network that has not (the
   owner at home, typing the right password) is let in.

So nobody is locked out of an account by failures made elsewhere: the owner's own network
stays open however many failures come from other networks. An attacker on one network gets
``per_pair`` guesses a minute and ``UNDER_ATTACK`` an hour; spread over many networks, each of
them gets a few guesses an hour. A success clears the failures of its pair (the owner
proved themselves there), never the address's count from other networks.

A network is the client's IPv4 address, or the /64 of an IPv6 address (one subscriber's
allocation: addresses within it are free to the holder). The counters live in the rate
limiter (``participation.ratelimit``): in Redis when configured, shared by every process.
"""

from __future__ import annotations

import ipaddress

from participation.ratelimit import RateLimiter

UNDER_ATTACK = 20  # failures an hour, all networks, before an address is under attack
PAIR_PER_HOUR = 3  # failures an hour from one network on an address under attack


def network_of(ip: str) -> str:
    """The network a client address belongs to for the limits (see the module)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip[:64]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class SignInLimits:
    def __init__(self, limiter: RateLimiter, *, per_pair: int = 5, per_network: int = 100) -> None:
        self.limiter = limiter
        self.network_minute = f"{per_network}/minute"
        self.pair_minute = f"{per_pair}/minute"
        self.pair_hour = f"{PAIR_PER_HOUR}/hour"
        self.address_hour = f"{UNDER_ATTACK}/hour"

    async def refused(self, email: str, network: str) -> bool:
        """True when a sign-in of ``email`` from ``network`` may not be tried now."""
        test = self.limiter.test
        if not await test(self.network_minute, "signin-fail-net", network):
            return True
        if not await test(self.pair_minute, "signin-fail-pair", email, network):
            return True
        under_attack = not await test(self.address_hour, "signin-fail-address", email)
        return under_attack and not await test(self.pair_hour, "signin-fail-pair-h", email, network)

    async def failed(self, email: str, network: str) -> None:
        hit = self.limiter.hit
        await hit(self.network_minute, "signin-fail-net", network)
        await hit(self.pair_minute, "signin-fail-pair", email, network)
        await hit(self.pair_hour, "signin-fail-pair-h", email, network)
        await hit(self.address_hour, "signin-fail-address", email)

    async def succeeded(self, email: str, network: str) -> None:
        await self.limiter.clear(self.pair_minute, "signin-fail-pair", email, network)
        await self.limiter.clear(self.pair_hour, "signin-fail-pair-h", email, network)
