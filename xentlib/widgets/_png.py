"""A PNG encoder for explorer frames: fast because it does the least PNG allows.

Every event sends the figure to the browser as a PNG. Pillow's encoder tries several row
filters per row and took 10-20 ms for an 800 × 340 frame. An explorer frame is mostly flat
colour, so one filter for every row ("Up": each byte minus the byte above it) leaves mostly
zeros, which zlib's run-length strategy packs in about 2 ms (40-70 kB a frame; zlib's
default strategy makes half that in twice the time). The pixels are matplotlib's RGBA buffer
as it is (copying out RGB cost more than it saved). The format is the PNG specification's
plainest: 8-bit RGBA, no interlacing, one IDAT chunk.
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
UP = 2  # the PNG filter type "Up"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(pixels) -> bytes:
    """``pixels`` of shape (height, width, 4), uint8 RGBA (matplotlib's ``buffer_rgba()``),
    as PNG bytes.

    >>> from PIL import Image
    >>> import io
    >>> pixels = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    >>> decoded = np.asarray(Image.open(io.BytesIO(encode_png(pixels))))
    >>> bool((decoded == pixels).all())
    True
    """
    height, width = pixels.shape[:2]
    rows = np.asarray(pixels).reshape(height, width * 4)
    raw = np.empty((height, width * 4 + 1), np.uint8)
    raw[:, 0] = UP
    raw[0, 1:] = rows[0]
    np.subtract(rows[1:], rows[:-1], out=raw[1:, 1:])  # wraps modulo 256, as PNG wants
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    packer = zlib.compressobj(1, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    data = packer.compress(raw) + packer.flush()
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")
