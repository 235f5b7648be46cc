"""The fake Coze OpenAPI (respx, at the HTTP layer): one module per endpoint family.

``server.FakeCoze`` is the service; ``envelope`` and ``sse`` build what it sends; ``requests``
parses and checks what it receives; ``bots``, ``chat``, ``conversations``, ``workflows``,
``users``, ``workspaces``, ``files`` and ``oauth`` hold each family's endpoints, state and handlers.
"""
