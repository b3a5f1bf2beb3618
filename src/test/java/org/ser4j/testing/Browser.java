package org.ser4j.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the system (Debian's {@code chromium} and {@code chromium-driver}, which
 * `.ci/run` installs); nothing is downloaded. Without them a test is skipped on a workstation and
 * fails in CI (environment variable CI set), so CI never skips it silently.
 */
public final class Browser {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Browser() {}

  /** What a page shows: each table's rows (cell texts), and each image's natural width. */
  public record Shown(
      java.util.Map<String, java.util.List<java.util.List<String>>> tables,
      java.util.List<Long> imageWidths,
      String keptRow) {}

  /** Opens {@code html} (a file) in headless Chromium and reads its tables and images. */
  @SuppressWarnings("unchecked")
  public static Shown show(Path html) {
    ChromeDriver driver = open();
    try {
      driver.get(html.toAbsolutePath().toUri().toString());
      java.util.Map<String, java.util.List<java.util.List<String>>> tables =
          new java.util.LinkedHashMap<>();
      for (org.openqa.selenium.WebElement t :
          driver.findElements(org.openqa.selenium.By.tagName("table"))) {
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        for (org.openqa.selenium.WebElement tr :
            t.findElements(org.openqa.selenium.By.cssSelector("tbody tr"))) {
          rows.add(
              tr.findElements(org.openqa.selenium.By.tagName("td")).stream()
                  .map(org.openqa.selenium.WebElement::getText)
                  .toList());
        }
        tables.put(t.getAttribute("id"), rows);
      }
      java.util.List<Long> widths =
          (java.util.List<Long>)
              driver.executeScript(
                  "return Array.from(document.images).map(i => i.complete ? i.naturalWidth : 0);");
      java.util.List<org.openqa.selenium.WebElement> kept =
          driver.findElements(org.openqa.selenium.By.cssSelector("tr.kept td"));
      return new Shown(tables, widths, kept.isEmpty() ? null : kept.get(0).getText());
    } finally {
      driver.quit();
    }
  }

  public static ChromeDriver open() {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      String why =
          "no system Chromium: apt-get install chromium chromium-driver (looked for "
              + CHROMIUM
              + " and "
              + DRIVER
              + ")";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--allow-file-access-from-files",
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }
}
