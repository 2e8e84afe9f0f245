package io.kb.gateway.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kb.gateway.LocalLogin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The chat page in a real browser: Debian's headless Chromium, driven by Selenium, against the gateway of the
 * {@code local} profile in front of a scripted inference service. Skipped, saying so, where chromium or
 * chromedriver is not installed ({@code ./kb test} installs both when it runs as root).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("local")
class ChatPageBrowserIT {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    static final String LEAVE = "How many days of annual leave can I carry over?";
    static final List<String> LEAVE_TOKENS = List.of("Employees may ", "carry over ", "up to five days ",
            "of unused annual leave [1].");
    static final String LEAVE_ANSWER = "Employees may carry over up to five days of unused annual leave [1].";
    static final String LEAVE_PASSAGE = "Up to five (5) days of unused annual leave may be carried over into the "
            + "first quarter of the next calendar year.";
    static final String BONUS = "And what about the bonus?";
    static final String DONT_KNOW = "I don't know: the documents you may read do not say.";
    static final String TRAVEL = "Which hotels may I book when travelling?";
    static final String BUSY = "Is anyone there?";

    static ScriptedInference inference;
    static WebDriver browser;
    static ChromeDriverService driverService;

    @LocalServerPort
    int port;

    WebDriverWait wait;

    @DynamicPropertySource
    static void upstreams(DynamicPropertyRegistry registry) {
        inference = new ScriptedInference();
        script(inference);
        registry.add("kb.gateway.upstreams.inference", inference::url);
        // Nothing listens there: the page calls only the answers API.
        registry.add("kb.gateway.upstreams.ingest", () -> "http://127.0.0.1:9");
        registry.add("kb.gateway.upstreams.retrieval", () -> "http://127.0.0.1:9");
        LocalLogin.useTemporaryKeyFile(registry);
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        Optional<Path> chromium = executable("chromium");
        Optional<Path> chromedriver = executable("chromedriver");
        assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
                "Skipped: the chat page's browser test needs Debian's chromium and chromedriver, and "
                        + (chromium.isEmpty() ? "chromium" : "chromedriver") + " is not on the PATH. Install them "
                        + "with 'apt-get install chromium chromium-driver' (./kb test does when run as root).");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--lang=en-US", "--window-size=1280,900",
                "--user-data-dir=" + Files.createTempDirectory("kb-chat-chromium"));
        options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US,en"));
        driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.get().toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(driverService, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (inference != null) {
            inference.stop();
        }
    }

    @BeforeEach
    void openThePageSignedOut() {
        wait = new WebDriverWait(browser, Duration.ofSeconds(15), Duration.ofMillis(25));
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        browser.get("http://localhost:" + port + "/");
        js("sessionStorage.clear(); localStorage.clear();");
        browser.navigate().refresh();
        inference.forget();
    }

    @Test
    void streamsTheAnswerThenOpensTheCitedPassageAndRecordsARating() throws IOException {
        signIn("alice");
        inference.holdAfter(2);
        ask(LEAVE);

        WebElement answer = lastAnswer();
        WebElement text = answer.findElement(By.className("answer-text"));
        wait.withMessage(() -> "streamed so far: '" + text.getDomProperty("textContent") + "'")
                .until(d -> "Employees may carry over ".equals(text.getDomProperty("textContent")));
        assertThat(answer.getDomAttribute("aria-busy")).as("still streaming").isEqualTo("true");
        assertThat(answer.findElements(By.cssSelector("button.marker"))).isEmpty();

        inference.release();
        wait.until(d -> "false".equals(answer.getDomAttribute("aria-busy")));
        assertThat(text.getText()).isEqualTo("Employees may carry over up to five days of unused annual leave 1.");
        assertThat(badges(answer)).contains("answered by extractive", "degraded from primary: slow");
        assertThat(answer.findElement(By.className("sources")).getText())
                .contains("Annual Leave and Absence Policy", "en/hr/annual-leave.md", "page 3");

        WebElement marker = answer.findElement(By.cssSelector("button.marker"));
        assertThat(marker.getAccessibleName()).isEqualTo("Source 1: Annual Leave and Absence Policy");
        marker.click();
        WebElement panel = browser.findElement(By.id("citation"));
        wait.until(ExpectedConditions.visibilityOf(panel));
        assertThat(browser.findElement(By.id("citation-title")).getText()).isEqualTo("Annual Leave and Absence Policy");
        assertThat(browser.findElement(By.id("citation-document")).getText()).isEqualTo("en/hr/annual-leave.md");
        assertThat(browser.findElement(By.id("citation-page")).getText()).isEqualTo("3");
        assertThat(browser.findElement(By.id("citation-passage")).getText()).isEqualTo(LEAVE_PASSAGE);
        screenshot("chat-citation.png");

        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.invisibilityOf(panel));
        assertThat(browser.switchTo().activeElement()).as("focus goes back to the marker").isEqualTo(marker);

        answer.findElement(By.cssSelector("button.rate[data-rating='down']")).click();
        browser.switchTo().activeElement().sendKeys("It should name the deadline.");
        answer.findElement(By.cssSelector(".comment button")).click();
        wait.until(d -> answer.findElement(By.className("feedback-status")).getText().contains("recorded"));
        screenshot("chat.png");

        String token = (String) js("return sessionStorage.getItem('kb.token');");
        ScriptedInference.Received asked = inference.received("/api/v1/answers/stream").getFirst();
        assertThat(asked.authorization()).isEqualTo("Bearer " + token);
        assertThat(asked.body().path("question").asString()).isEqualTo(LEAVE);
        assertThat(asked.body().path("history").isEmpty()).isTrue();
        ScriptedInference.Received rated = inference.received("/api/v1/answers/ans_leave/feedback").getFirst();
        assertThat(rated.method()).isEqualTo("POST");
        assertThat(rated.authorization()).isEqualTo("Bearer " + token);
        assertThat(rated.body().path("rating").asString()).isEqualTo("down");
        assertThat(rated.body().path("comment").asString()).isEqualTo("It should name the deadline.");
        assertThat((String) js("return localStorage.getItem('kb.token');")).as("never in localStorage").isNull();
        assertThat(browser.getCurrentUrl()).doesNotContain(token);
    }

    @Test
    void sendsTheEarlierTurnsWithAFollowUpAndShowsTheCheckedTextOfADontKnowAnswer() {
        signIn("alice");
        ask(LEAVE);
        awaitAnswers(1);
        ask(BONUS);
        awaitAnswers(2);

        JsonNode history = inference.received("/api/v1/answers/stream").get(1).body().path("history");
        assertThat(history.size()).isEqualTo(2);
        assertThat(history.get(0).path("role").asString()).isEqualTo("user");
        assertThat(history.get(0).path("content").asString()).isEqualTo(LEAVE);
        assertThat(history.get(1).path("role").asString()).isEqualTo("assistant");
        assertThat(history.get(1).path("content").asString()).isEqualTo(LEAVE_ANSWER);

        WebElement answer = lastAnswer();
        assertThat(answer.getDomAttribute("class")).contains("dont-know");
        assertThat(answer.findElement(By.className("dont-know-label")).isDisplayed()).isTrue();
        // What streamed was a guess; the checked answer that came with `done` replaces it.
        assertThat(answer.findElement(By.className("answer-text")).getText()).isEqualTo(DONT_KNOW);
        assertThat(badges(answer)).contains("no model answered (weak evidence)");
    }

    @Test
    void startsANewConversationThatSendsNoEarlierTurns() {
        signIn("bob");
        ask(LEAVE);
        awaitAnswers(1);

        browser.findElement(By.id("new-conversation")).click();
        assertThat(browser.findElements(By.cssSelector("#conversation > li"))).isEmpty();
        assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("question");
        ask(TRAVEL);
        awaitAnswers(1);

        assertThat(inference.received("/api/v1/answers/stream").get(1).body().path("history").isEmpty()).isTrue();
        assertThat(badges(lastAnswer())).contains("answered by primary", "from cache");
    }

    @Test
    void sendsWithEnterAndStartsANewLineWithShiftEnter() {
        signIn("alice");
        WebElement question = browser.findElement(By.id("question"));
        question.sendKeys("Which hotels may I book", Keys.chord(Keys.SHIFT, Keys.ENTER), "when travelling?");
        assertThat(question.getDomProperty("value")).isEqualTo("Which hotels may I book\nwhen travelling?");
        assertThat(inference.received()).isEmpty();

        question.sendKeys(Keys.ENTER);
        awaitAnswers(1);
        assertThat(inference.received("/api/v1/answers/stream").getFirst().body().path("question").asString())
                .isEqualTo("Which hotels may I book\nwhen travelling?");
    }

    @Test
    void fitsAPhoneScreenWithoutSidewaysScrolling() throws IOException {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        signIn("wang.fang");
        ask(LEAVE);
        awaitAnswers(1);

        long viewport = (Long) js("return document.documentElement.clientWidth;");
        assertThat(viewport).isBetween(350L, 390L);
        assertThat((Long) js("return document.documentElement.scrollWidth;")).isLessThanOrEqualTo(viewport);
        lastAnswer().findElement(By.cssSelector("button.marker")).click();
        WebElement panel = browser.findElement(By.id("citation"));
        wait.until(ExpectedConditions.visibilityOf(panel));
        assertThat(panel.getRect().getX() + panel.getRect().getWidth()).isLessThanOrEqualTo((int) viewport);
        screenshot("chat-phone-citation.png");
        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        wait.until(ExpectedConditions.invisibilityOf(panel));
        screenshot("chat-phone.png");
    }

    @Test
    void sendsTheReaderBackToSignInWhenTheTokenIsRefused() {
        signIn("alice");
        js("sessionStorage.setItem('kb.token', 'not-a-token');");
        ask(LEAVE);

        WebElement reason = browser.findElement(By.id("sign-in-reason"));
        wait.until(ExpectedConditions.visibilityOf(reason));
        assertThat(reason.getText()).contains("Sign in again");
        assertThat(inference.received()).as("the gateway refused it").isEmpty();

        signIn("alice");
        assertThat(browser.findElement(By.id("question")).getDomProperty("value")).as("the question is kept").isEqualTo(LEAVE);
    }

    @Test
    void showsHowLongToWaitWhenTheAnswersAreRateLimited() {
        signIn("alice");
        ask(BUSY);

        WebElement answer = lastAnswer();
        wait.until(d -> answer.getText().contains("Too many requests"));
        assertThat(answer.getText()).contains("Try again in 30 s.");
        assertThat(answer.getDomAttribute("class")).contains("error");
    }

    @Test
    void speaksChineseWhenAskedTo() {
        browser.findElement(By.id("language")).click();
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("知识助手");
        assertThat(browser.findElement(By.tagName("html")).getDomAttribute("lang")).isEqualTo("zh-CN");
        assertThat(browser.findElement(By.cssSelector("label[for=username]")).getText()).isEqualTo("用户名");

        signIn("wang.fang");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("已登录：wang.fang");
        ask(LEAVE);
        awaitAnswers(1);
        assertThat(badges(lastAnswer())).contains("回答层级：extractive", "由 primary 降级：响应慢");

        browser.findElement(By.id("language")).click();
        assertThat(badges(lastAnswer())).contains("answered by extractive");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Knowledge assistant");
    }

    // ---- the scripted inference service ----

    private static void script(ScriptedInference inference) {
        Map<String, Object> citation = Map.of("marker", 1, "documentId", "en/hr/annual-leave.md",
                "title", "Annual Leave and Absence Policy", "chunkId", "en/hr/annual-leave.md#3", "page", 3,
                "startOffset", 575, "endOffset", 1154, "text", LEAVE_PASSAGE);
        inference.script(LEAVE, ScriptedInference.Script.streaming(LEAVE_TOKENS, List.of(citation), Map.ofEntries(
                Map.entry("id", "ans_leave"), Map.entry("question", LEAVE), Map.entry("query", LEAVE),
                Map.entry("answer", LEAVE_ANSWER), Map.entry("dontKnow", false), Map.entry("citations", List.of(citation)),
                Map.entry("tier", "extractive"), Map.entry("reason", "slow"),
                Map.entry("degraded", Map.of("from", "primary", "reason", "slow", "detail", "primary: 2 slow replies")),
                Map.entry("cached", false), Map.entry("timings", Map.of("total", 840.0)))));
        inference.script(BONUS, ScriptedInference.Script.streaming(List.of("The bonus ", "is paid in March."),
                List.of(), Map.of("id", "ans_bonus", "question", BONUS, "answer", DONT_KNOW, "dontKnow", true,
                        "citations", List.of(), "tier", "none", "reason", "weak_evidence", "cached", false)));
        Map<String, Object> hotels = Map.of("marker", 1, "documentId", "zh/finance/travel.md", "title", "差旅政策",
                "chunkId", "zh/finance/travel.md#0", "startOffset", 0, "endOffset", 80, "text", "出差住宿标准为每晚不超过 600 元。");
        Map<String, Object> travelDone = Map.of("id", "ans_travel", "question", TRAVEL,
                "answer", "Hotels up to 600 yuan a night [1].", "dontKnow", false, "citations", List.of(hotels),
                "tier", "primary", "reason", "cache_hit", "cached", true);
        inference.script(TRAVEL, ScriptedInference.Script.streaming(List.of("Hotels up to 600 yuan a night [1]."),
                List.of(hotels), travelDone));
        inference.script("Which hotels may I book\nwhen travelling?", ScriptedInference.Script.streaming(
                List.of("Hotels up to 600 yuan a night [1]."), List.of(hotels), travelDone));
        inference.script(BUSY, ScriptedInference.Script.refused(429, "30"));
    }

    // ---- the page, as a person uses it ----

    private void signIn(String user) {
        WebElement name = browser.findElement(By.id("username"));
        wait.until(ExpectedConditions.visibilityOf(name));
        name.clear();
        name.sendKeys(user);
        browser.findElement(By.id("password")).sendKeys("demo");
        browser.findElement(By.id("sign-in-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("question")));
    }

    private void ask(String question) {
        browser.findElement(By.id("question")).sendKeys(question, Keys.ENTER);
    }

    private void awaitAnswers(int count) {
        wait.until(d -> d.findElements(By.cssSelector("#conversation .answer[aria-busy='false']")).size() == count);
    }

    private WebElement lastAnswer() {
        wait.until(d -> !d.findElements(By.cssSelector("#conversation .answer")).isEmpty());
        return browser.findElements(By.cssSelector("#conversation .answer")).getLast();
    }

    private static List<String> badges(WebElement answer) {
        return answer.findElements(By.className("badge")).stream().map(WebElement::getText).toList();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<Path> executable(String name) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator))
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
