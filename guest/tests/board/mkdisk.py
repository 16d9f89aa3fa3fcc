#!/usr/bin/env python3
"""Writes the blk.c test image: 64 sectors, byte at offset o = (31 * (o >> 9) + o) & 0xff.

The JUnit machine test builds the same image (BoardProgramsTest.pattern)."""
import sys

SECTORS = 64
with open(sys.argv[1], "wb") as f:
    f.write(bytes((31 * (o >> 9) + o) & 0xFF for o in range(SECTORS * 512)))
