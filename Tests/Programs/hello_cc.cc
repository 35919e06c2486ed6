// The distroless cc test's /hello_cc_*_binary: a C++ program that needs libstdc++ from the image.
#include <iostream>

int main() {
    std::cout << "Hello from distroless C++!" << std::endl;
    return 0;
}
