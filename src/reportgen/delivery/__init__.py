"""E-mail delivery: a built pack in, one message per recipient out, each delivery archived.

`message` builds the messages (pure), `smtp` holds the secured connection, `send` runs the flow
(find the pack, check its bytes against the archive, send once per recipient, record each
outcome). Never imports `build`. See docs/email.md.
"""
