package dev.agenthub.support.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Import;

/** Registers the hub's API error translation in every service. */
@AutoConfiguration
@Import(ApiExceptionHandler.class)
public class WebSupportConfiguration {

}
