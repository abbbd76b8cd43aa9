package org.charnwood.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Charnwood: the integrated care record and digital-services platform. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CharnwoodApplication {
    public static void main(String[] args) {
        SpringApplication.run(CharnwoodApplication.class, args);
    }
}
