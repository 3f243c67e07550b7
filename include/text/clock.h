/*
 * clock.h - the monotonic clock in milliseconds, for start and end times
 * and "now" on either thread.
 */
#ifndef GCWATCH_CLOCK_H
#define GCWATCH_CLOCK_H

#include <stdint.h>

uint64_t clock_now_ms(void);

#endif
