// A static binary for the `static` preset: no libc in the image, only what it links in.
#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("Hello from a static binary, running as uid %d\n", (int)getuid());
    return 0;
}
