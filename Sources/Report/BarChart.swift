import Foundation

/// Horizontal bar charts as inline SVG (no script, no fonts or files to fetch): one group of bars per image,
/// each bar made of coloured segments, its value written at its end.
struct BarChart {
    /// A part of a bar.
    struct Segment {
        var value: Double
        var color: String
        /// What hovering the segment says (`HIGH: 3`).
        var title: String
    }

    /// One bar: its segments, stacked left to right, and the text at its end.
    struct Bar {
        var segments: [Segment]
        var label: String
    }

    /// One image: its name and its bars.
    struct Group {
        var name: String
        var bars: [Bar]
    }

    var title: String
    var legend: [(name: String, color: String)]
    var groups: [Group]

    static let width = 760.0
    /// Roughly what a 12 px character takes, to leave room for the names and the values.
    static let characterWidth = 7.0
    static let barHeight = 16.0
    static let barGap = 4.0
    static let groupGap = 14.0
    static let legendHeight = 28.0

    /// The chart as an `<svg>` element; every text is escaped.
    func svg(id: String) -> String {
        let longest = groups.flatMap(\.bars).map { $0.segments.reduce(0) { $0 + $1.value } }.max() ?? 0
        // Names are bold: a little wider than the values.
        let nameWidth = Double(groups.map { Self.shortened($0.name).count }.max() ?? 0) * Self.characterWidth * 1.15 + 16
        let valueWidth = Double(groups.flatMap(\.bars).map(\.label.count).max() ?? 0) * Self.characterWidth + 12
        let scale = longest > 0 ? max(Self.width - nameWidth - valueWidth, 60) / longest : 0
        var y = Self.legendHeight
        var body: [String] = []
        for group in groups {
            let height = Double(group.bars.count) * Self.barHeight + Double(max(group.bars.count - 1, 0)) * Self.barGap
            body.append(text(Self.shortened(group.name), x: nameWidth - 10, y: y + height / 2 + 4, anchor: "end", weight: "600"))
            for bar in group.bars {
                var x = nameWidth
                for segment in bar.segments where segment.value > 0 {
                    let length = max(segment.value * scale, 1)
                    body.append(
                        "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(length))\" height=\"\(Self.number(Self.barHeight))\" "
                            + "fill=\"\(segment.color)\"><title>\(Escaping.html(group.name)) \(Escaping.html(segment.title))</title></rect>")
                    x += length
                }
                body.append(text(bar.label, x: x + 6, y: y + Self.barHeight - 4, anchor: "start", weight: "400"))
                y += Self.barHeight + Self.barGap
            }
            y += Self.groupGap - Self.barGap
        }
        var legend: [String] = []
        var x = nameWidth
        for item in self.legend {
            legend.append("<rect x=\"\(Self.number(x))\" y=\"6\" width=\"12\" height=\"12\" fill=\"\(item.color)\"/>")
            legend.append(text(item.name, x: x + 17, y: 16.5, anchor: "start", weight: "400"))
            x += 34 + Double(item.name.count) * 7
        }
        let height = y + 4
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Self.number(Self.width)) \(Self.number(height))" role="img" aria-labelledby="\(id)-title" class="chart">
            <title id="\(id)-title">\(Escaping.html(title))</title>
            \((legend + body).joined(separator: "\n"))
            </svg>
            """
    }

    private func text(_ content: String, x: Double, y: Double, anchor: String, weight: String) -> String {
        "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\">\(Escaping.html(content))</text>"
    }

    /// Long names cut to fit beside the bars (the table has them whole).
    static func shortened(_ name: String) -> String { name.count > 22 ? String(name.prefix(21)) + "…" : name }

    /// Coordinates with at most one decimal.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }
}

extension BarChart {
    static let compressedColor = "#4c6ef5"
    static let unpackedColor = "#a5b4fc"
    /// CRITICAL to UNKNOWN: dark red, orange-red, amber, blue, grey (told apart in greyscale print too).
    static let severityColors = ["#7f1d1d", "#e8590c", "#f5b400", "#4dabf7", "#adb5bd"]

    /// Compressed and unpacked size of each image.
    static func sizes(_ images: [ImageComparison]) -> BarChart {
        BarChart(
            title: "Image size: compressed and unpacked", legend: [("compressed", compressedColor), ("unpacked", unpackedColor)],
            groups: images.map { image in
                Group(name: image.name, bars: [
                    Bar(segments: [Segment(value: Double(image.compressedSize), color: compressedColor, title: "compressed: \(Figures.bytes(image.compressedSize))")],
                        label: Figures.bytes(image.compressedSize)),
                    Bar(segments: [Segment(value: Double(image.unpackedSize), color: unpackedColor, title: "unpacked: \(Figures.bytes(image.unpackedSize))")],
                        label: Figures.bytes(image.unpackedSize)),
                ])
            })
    }

    /// Each image's vulnerabilities, stacked by severity; nil without counts.
    static func vulnerabilities(_ images: [ImageComparison]) -> BarChart? {
        guard images.allSatisfy({ $0.vulnerabilities != nil }) else { return nil }
        let names = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"]
        return BarChart(
            title: "Vulnerabilities by severity", legend: zip(names, severityColors).map { (name: $0.0, color: $0.1) },
            groups: images.map { image in
                let v = image.vulnerabilities ?? .init(critical: 0, high: 0, medium: 0, low: 0, unknown: 0, total: 0)
                let counts = [v.critical, v.high, v.medium, v.low, v.unknown]
                let segments = (0..<5).map { Segment(value: Double(counts[$0]), color: severityColors[$0], title: "\(names[$0]): \(counts[$0])") }
                return Group(name: image.name, bars: [Bar(segments: segments, label: "\(v.total) (\(v.critical) CRITICAL, \(v.high) HIGH)")])
            })
    }
}
