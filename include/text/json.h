/*
 * json.h - JSON values on a stdio stream, for the summary JSON and the
 * analysis members (recout.c formats records into buffers of its own,
 * for speed).
 */
#ifndef GCWATCH_JSON_H
#define GCWATCH_JSON_H

#include <stdio.h>

/* A string, escaped ("\" and control bytes); NULL writes null.  Bytes
 * above 0x7f are written as they are. */
void json_str(FILE *out, const char *s);

/* A number: whole values without a fraction, others to 6 significant
 * digits; NaN and infinities as null. */
void json_num(FILE *out, double v);

#endif
