// A C++ program for the `cc` preset: it needs libstdc++ and libgcc_s from the image.
#include <iostream>
#include <thread>
#include <vector>

int main() {
    std::vector<std::thread> workers;
    int results[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4; ++i) workers.emplace_back([&results, i] { results[i] = i * i; });
    for (auto &t : workers) t.join();
    std::cout << "Hello from distroless C++! squares: " << results[0] << ' ' << results[1] << ' ' << results[2] << ' '
              << results[3] << std::endl;
    return 0;
}
