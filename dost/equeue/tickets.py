"""The ticket's QR code, read by the centre's scanner to call the citizen's booking."""

from __future__ import annotations

import segno


def ticket_qr_svg(ticket_code: str) -> str:
    """An inline SVG QR code of the ticket code, sized by CSS (it carries only a viewBox)."""
    # Error correction M survives a creased or smudged printout; the quiet
    # zone of four modules is what scanners need to find the code.
    svg = segno.make(ticket_code, error="m", micro=False).svg_inline(
        scale=4, border=4, omitsize=True, dark="#000", light="#fff",
        title=ticket_code, svgclass="ticket-qr", lineclass=None,
    )
    # With role="img" the <title> becomes the image's accessible name.
    return svg.replace("<svg ", '<svg role="img" ', 1)
