#include <stdio.h>
int main(void) { puts("gcwatch " GCWATCH_VERSION); return 0; }
