package dev.mtlsprobe.check;

/** The report in the asked format. */
public final class Reports {

    private Reports() {
    }

    public static String render(CheckOptions.Format format, CheckResult r) {
        return switch (format) {
            case TEXT -> TextReport.render(r);
            case JSON -> JsonReport.render(r);
            case JUNIT -> JunitReport.render(r);
        };
    }
}
